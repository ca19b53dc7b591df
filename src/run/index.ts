/**
 * One run of crawl, scrape or recrawl, from the state store's point of view:
 * start a new run or take up the killed one with the same plan, write records
 * and rejects line by line (each remembered in the state only after its line
 * is written), and leave a manifest. A run killed at any moment resumes: its
 * files are repaired, the lines already written are adopted, and the frontier
 * picks up where it stopped, so the union of its output has every article once.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { NewscleanError } from '../shared/errors.js';
import type { Config } from '../config/schema.js';
import type { CrawlDeps, CrawlOutcome, CrawlPlan, CrawlStats, PageMeta } from '../crawl/index.js';
import { crawl } from '../crawl/index.js';
import type { SiteFailure } from '../crawl/site-health.js';
import type { Logger } from '../shared/log.js';
import { type Ledger, createLedger } from './ledger.js';
import { type RunRow, type StateStore, openState } from '../state/store.js';
import { ownerOf } from '../state/liveness.js';
import { isRunOwnedElsewhere } from '../state/run-recovery.js';
import { type LineSink, checkWritable, newRunId, openLineSink, readRunLines, repairRunFile, runPaths, writeJsonAtomic } from '../stages/export/run-files.js';
import { canonicalizeUrl } from '../stages/normalize/canonical-url.js';
import type { ArticleRecord, ProgressSnapshot, Reject } from '../shared/types.js';
import { type RunReport, buildReport, createSample } from './summary.js';
import { closeAll } from './shutdown.js';
import { VERSION } from '../shared/version.js';

export type RunCommand = 'crawl' | 'scrape' | 'recrawl';

export interface RunSpec {
  command: RunCommand;
  plan: CrawlPlan;
  /** What identifies "the same run" for a resume (sites, URLs, options as given). */
  planKey: unknown;
  /** -o: a file or '-' instead of <output.dir>/<date>/<run-id>.jsonl. */
  output?: string | undefined;
  rejects?: string | undefined;
  refresh: boolean;
  force: boolean;
  /** Send the validators of the last visit (If-None-Match / If-Modified-Since). Off for --force and --from: those re-extract. */
  conditional: boolean;
  /** A graceful stop: in-flight pages finish and are written, the run is left resumable (see crawl.ts). */
  signal?: AbortSignal;
  /** Live progress (src/progress.ts): started with a reader of the counters, stopped at the end. */
  progress?: { start(read: () => ProgressSnapshot): void; stop(): void };
}

export interface RunCounts {
  articles: number;
  rejects: number;
  /** Revisits with nothing new: 304, or the same text. */
  unchanged: number;
  /** Discovered but skipped: exported or given up earlier. */
  known: number;
  /** Discovered but skipped: failed earlier, retry not yet due. */
  deferred: number;
  /** Discovered but not fetched: --max-articles reached. */
  skipped: number;
  discovered: number;
  fetched: number;
  /** Articles exported with a text another URL already had (duplicate_of set). */
  duplicates: number;
  /** Articles that joined an earlier article's near-duplicate cluster. */
  clustered: number;
  /** Articles whose text changed since the last run (version > 1). */
  versions: number;
  /** Lines of a killed run adopted on resume. */
  adopted: number;
  /** URLs given up in this run: their last transient failure was number state.retry.maxRuns. */
  givenUp: number;
  /** Sites that could not be reached at all (see sitesFailed). */
  sitesFailed: number;
  /** Feed and sitemap items skipped as dated before --since. */
  tooOld: number;
}

export interface RunSummary {
  runId: string;
  /** interrupted: stopped by a signal; the same command resumes it. */
  status: 'done' | 'interrupted';
  resumed: boolean;
  files: { records: string; rejects: string | null; manifest: string };
  counts: RunCounts;
  rejectsByCode: Record<string, number>;
  seconds: number;
  /** Figures by host and code, bytes, durations, failure rate (also in the manifest as `summary`). */
  report: RunReport;
  /** Sites whose every entry point failed (also in the manifest as `sites_failed`). */
  sitesFailed: SiteFailure[];
}

const isGzip = (path: string): boolean => path.endsWith('.gz');
const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** HTTP_5xx in the config matches every 5xx status. */
const transientMatcher = (codes: string[]) => (code: string): boolean => codes.includes(code) || (codes.includes('HTTP_5xx') && /^HTTP_5\d\d$/.test(code));

export async function executeRun(spec: RunSpec, config: Config, makeDeps: () => CrawlDeps & { close(): Promise<void> }, log: Logger): Promise<RunSummary> {
  const started = performance.now();
  const store = openState(config.state.path);
  let heartbeat: NodeJS.Timeout | undefined;
  // While the run goes, it tells other processes sharing the store that it is alive.
  const claimed = (runId: string): void => {
    store.heartbeat(runId, Date.now());
    heartbeat = setInterval(() => store.heartbeat(runId, Date.now()), HEARTBEAT_MS);
    heartbeat.unref();
  };
  try {
    return await runWithStore(spec, config, store, makeDeps, log, started, claimed);
  } finally {
    clearInterval(heartbeat);
    store.close();
  }
}

type RunFiles = { records: string; rejects: string | null; manifest: string };

/** The run this process now owns: a fresh one, or a killed one with the same plan taken up again. */
interface Claim {
  runId: string;
  startedAt: Date;
  files: RunFiles;
  previous: RunRow | undefined;
}

async function runWithStore(
  spec: RunSpec,
  config: Config,
  store: StateStore,
  makeDeps: () => CrawlDeps & { close(): Promise<void> },
  log: Logger,
  started: number,
  claimed: (runId: string) => void,
): Promise<RunSummary> {
  const claim = await claimRun(spec, config, store, log);
  const runLog = log.child({ run_id: claim.runId });
  claimed(claim.runId);
  try {
    return await runClaimed(spec, config, store, claim, makeDeps, runLog, started);
  } catch (err) {
    // Whatever stopped it (an output that failed, a bug), the run must not wedge later runs: they start fresh.
    markRunFailed(store, claim.runId, err, runLog);
    throw err;
  }
}

/**
 * Refuse a run another live process owns (RUN_IN_PROGRESS); take up a killed
 * one whose files can still be written; otherwise start a new one. Output
 * paths are checked before anything is fetched or remembered.
 */
async function claimRun(spec: RunSpec, config: Config, store: StateStore, log: Logger): Promise<Claim> {
  const planHash = sha256({ command: spec.command, plan: spec.planKey, refresh: spec.refresh, force: spec.force });
  const owner = ownerOf();
  let previous = store.unfinishedRun(spec.command, planHash);
  if (previous && isRunOwnedElsewhere(previous, Date.now())) {
    throw new NewscleanError('RUN_IN_PROGRESS', `run ${previous.run_id} (${spec.command}, same plan) is still running as process ${previous.owner_pid} on ${previous.owner_host}; not starting a second copy`);
  }
  if (previous) {
    const files = { records: previous.records_path!, rejects: previous.rejects_path, manifest: previous.manifest_path! };
    try {
      await checkRunFiles(files);
    } catch (err) {
      log.warn({ stage: 'export', run_id: previous.run_id, code: 'OUTPUT_FAILED', err: (err as Error).message }, 'an interrupted run cannot be resumed (its files cannot be written): marked failed; starting a new run');
      markRunFailed(store, previous.run_id, err, log);
      previous = undefined;
    }
    if (previous) {
      await lockSites(spec, config, store, previous.run_id, owner);
      store.claimRun(previous.run_id, owner.pid, owner.host, owner.started, owner.boot);
      return { runId: previous.run_id, startedAt: new Date(previous.started_at), files, previous };
    }
  }
  const startedAt = new Date();
  const runId = `${spec.command}-${newRunId(startedAt)}`;
  const files = chooseFiles(spec, config, runId, startedAt);
  await checkRunFiles(files);
  await lockSites(spec, config, store, runId, owner);
  store.beginRun({
    run_id: runId, command: spec.command, plan_hash: planHash, started_at: startedAt.getTime(), records_path: files.records, rejects_path: files.rejects, manifest_path: files.manifest,
    owner_pid: owner.pid, owner_host: owner.host, owner_started: owner.started, owner_boot: owner.boot, heartbeat_at: Date.now(),
  });
  return { runId, startedAt, files, previous: undefined };
}

/**
 * One crawl per site at a time, whatever its flags (a cron line and a manual
 * --max-articles run overlap): the sites of the plan are locked in the state
 * store for this run, all or none. A lock held by a live process is waited
 * for up to run.lockWaitMs, then RUN_IN_PROGRESS (exit 5); one held by a dead
 * process is taken over. Scrape and recrawl name no sites and lock none.
 */
async function lockSites(spec: RunSpec, config: Config, store: StateStore, runId: string, owner: ReturnType<typeof ownerOf>): Promise<void> {
  const sites = spec.plan.sites.map((s) => s.name);
  if (sites.length === 0) return;
  const deadline = Date.now() + config.run.lockWaitMs;
  for (;;) {
    const got = store.acquireSiteLocks(sites, { runId, ...owner }, Date.now());
    if (got.ok) return;
    if (Date.now() >= deadline || spec.signal?.aborted) {
      const h = got.heldBy;
      throw new NewscleanError('RUN_IN_PROGRESS', `site ${h.site} is being crawled by run ${h.run_id} (process ${h.owner_pid} on ${h.owner_host}); not crawling it twice (wait longer with --lock-wait SECONDS)`);
    }
    await delay(Math.min(LOCK_POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
const LOCK_POLL_MS = 500;

const checkRunFiles = async (files: RunFiles): Promise<void> => {
  for (const path of [files.records, files.rejects, files.manifest]) if (path) await checkWritable(path);
};

/**
 * Mark a run failed and release its site locks, so the next run of its plan
 * starts afresh (best effort). Not when the store itself failed
 * (STATE_UNAVAILABLE): it cannot record it, and that run is resumed later.
 */
function markRunFailed(store: StateStore, runId: string, err: unknown, log: Logger): void {
  const code = err instanceof NewscleanError ? err.code : 'INTERNAL';
  if (code === 'STATE_UNAVAILABLE') return;
  try {
    store.failRun(runId, Date.now(), `${code}: ${(err as Error)?.message ?? String(err)}`);
  } catch (e) {
    log.error({ stage: 'export', code: 'STATE_UNAVAILABLE', err: (e as Error).message }, 'could not mark the run failed');
  }
}

/** The run proper: adopt what a killed run wrote, crawl, write each outcome, leave a manifest. */
async function runClaimed(
  spec: RunSpec,
  config: Config,
  store: StateStore,
  claim: Claim,
  makeDeps: () => CrawlDeps & { close(): Promise<void> },
  runLog: Logger,
  started: number,
): Promise<RunSummary> {
  const { runId, files, previous } = claim;
  const deps = makeDeps();
  const closers: Array<() => unknown> = [() => deps.close()];
  try {
    const ledger = createLedger(store, {
      runId,
      refresh: spec.refresh,
      force: spec.force,
      conditional: spec.conditional,
      retry: config.state.retry,
      nearDup: config.dedupe.nearDuplicates.enabled ? config.dedupe.nearDuplicates : null,
      transient: transientMatcher(config.state.transientCodes),
      keyOf: (url) => canonicalizeUrl(url, deps.urlRules),
    });
    const tally = createTally();
    if (previous) {
      runLog.warn({ stage: 'export', records: files.records }, 'resuming an interrupted run');
      tally.counts.adopted = await adoptWritten(files, (r) => ledger.adopt(r), (r) => ledger.adoptReject(r));
    }
    const plan: CrawlPlan = previous
      ? { ...spec.plan, resume: { pending: store.pendingFrontier(runId).map((p) => ({ key: p.url_key, url: p.url, depth: p.depth, site: p.site })), done: store.doneFrontier(runId) } }
      : spec.plan;
    const manifest = manifestWriter(spec, config, store, claim, tally, ledger, started);
    await manifest.write('running');

    // A resumed run's files were repaired before adoption.
    const repair = previous === undefined;
    // Created with their first line: a scheduled run with nothing new leaves only its manifest.
    const records = await openLineSink(files.records, { gzip: isGzip(files.records), repair, lazy: true });
    closers.unshift(() => records.close());
    const rejects = files.rejects ? await openLineSink(files.rejects, { gzip: isGzip(files.rejects), repair, lazy: true }) : null;
    if (rejects) closers.unshift(() => rejects.close());
    const run = crawl(plan, { ...deps, gate: ledger.gate, log: runLog, ...(spec.signal && { signal: spec.signal }) });
    const s = run.stats;
    const c = tally.counts;
    spec.progress?.start(() => ({ discovered: s.discovered, fetched: s.fetched, known: s.known, deferred: s.deferred, skipped: s.skipped, articles: c.articles, rejects: c.rejects, unchanged: c.unchanged }));
    closers.unshift(() => spec.progress?.stop());
    await writeOutcomes(run.outcomes, { ledger, records, rejects, tally });
    await closeAll(closers.splice(0));

    // Stopped by a signal: the state keeps the run open (status running, its frontier pending), so the same command resumes it.
    const status = spec.signal?.aborted ? 'interrupted' : 'done';
    const { summary, final } = await manifest.finish(status, run.stats);
    if (status === 'done') store.endRun(runId, 'done', Date.now(), final.counts);
    else runLog.warn({ stage: 'export', code: 'INTERRUPTED' }, 'run stopped before its end; the same command resumes it');
    store.releaseSiteLocks(runId); // an interrupted run keeps its frontier; whoever resumes it locks again
    return { runId, status, resumed: previous !== undefined, files, counts: tally.counts, rejectsByCode: tally.rejectsByCode, seconds: summary.duration_s, report: summary, sitesFailed: run.stats.sitesFailed };
  } finally {
    await closeAll(closers).catch(() => undefined); // only after a failure: the first error is already on its way
  }
}

interface Tally {
  counts: RunCounts;
  rejectsByCode: Record<string, number>;
  fetchMs: ReturnType<typeof createSample>;
}

const createTally = (): Tally => ({
  counts: { articles: 0, rejects: 0, unchanged: 0, known: 0, deferred: 0, skipped: 0, discovered: 0, fetched: 0, duplicates: 0, clustered: 0, versions: 0, adopted: 0, givenUp: 0, sitesFailed: 0, tooOld: 0 },
  rejectsByCode: {},
  fetchMs: createSample(),
});

/** Each outcome: its line written first, then remembered in the state (a kill between the two leaves a line the resume adopts). */
async function writeOutcomes(
  outcomes: AsyncIterable<CrawlOutcome>,
  out: { ledger: Ledger; records: LineSink; rejects: LineSink | null; tally: Tally },
): Promise<void> {
  const { ledger, records, rejects, tally } = out;
  const counts = tally.counts;
  const writeReject = async (reject: Reject, page: PageMeta | undefined): Promise<void> => {
    await rejects?.write(reject);
    ledger.rejected(reject, page);
    counts.rejects++;
    tally.rejectsByCode[reject.code] = (tally.rejectsByCode[reject.code] ?? 0) + 1;
  };
  for await (const o of outcomes) {
    ledger.saveFrontier(); // the links behind this outcome are kept before its line is written
    if (o.page && o.page.fetchMs > 0) tally.fetchMs.add(o.page.fetchMs);
    if (o.page?.notModified) {
      ledger.unchanged(o.page);
      counts.unchanged++;
    } else if (o.ok) {
      const prepared = ledger.prepare(o.record, o.page);
      if (prepared.unchanged) {
        if (o.page) ledger.unchanged(o.page);
        counts.unchanged++;
        continue;
      }
      if (prepared.reject) {
        // Another URL of the same page (same id) was exported first: a DUPLICATE_URL reject, never the id twice.
        await writeReject(prepared.reject, o.page);
        continue;
      }
      await records.write(prepared.record);
      prepared.commit();
      counts.articles++;
    } else if (ledger.repeatsHubReject(o.reject, o.page)) {
      ledger.rejected(o.reject, o.page); // remembered; no line: the same front page as on every run
      counts.unchanged++;
    } else {
      await writeReject(o.reject, o.page);
    }
  }
  ledger.saveFrontier();
}

/** The run's manifest: written when the run starts (status running) and, atomically replaced, when it ends. */
function manifestWriter(spec: RunSpec, config: Config, store: StateStore, claim: Claim, tally: Tally, ledger: Ledger, started: number) {
  const { counts, rejectsByCode } = tally;
  const report = (status: 'done' | 'interrupted', stats: CrawlStats): RunReport =>
    buildReport(
      {
        status, seconds: (performance.now() - started) / 1000, counts: { ...counts, fetched: stats.fetched, known: stats.known, skipped: stats.skipped, deferred: stats.deferred },
        rejectsByCode, bytes: stats.bytes, hosts: stats.hosts, fetchMs: tally.fetchMs.values,
      },
      config.run.ignoreCodes,
    );
  const manifest = (status: string, stats?: CrawlStats, summary?: RunReport) => ({
    run_id: claim.runId,
    command: spec.command,
    status,
    started_at: claim.startedAt.toISOString(),
    ended_at: status === 'running' ? null : new Date().toISOString(),
    resumed: claim.previous !== undefined,
    plan: spec.planKey,
    config_hash: `sha256:${sha256(config)}`,
    files: claim.files,
    counts: {
      ...counts,
      ...(stats && { known: stats.known, deferred: stats.deferred, skipped: stats.skipped, discovered: stats.discovered, fetched: stats.fetched, sitesFailed: stats.sitesFailed.length, discoveryWarnings: stats.discoveryWarnings, tooOld: stats.tooOld }),
      ...ledger.counts,
    },
    rejects_by_code: rejectsByCode,
    sites_failed: stats?.sitesFailed ?? [],
    ...(summary && { summary }),
    versions: { newsclean: VERSION, node: process.version, state_schema: store.schemaVersion, record_schema: 1 },
  });
  return {
    write: (status: 'running') => writeJsonAtomic(claim.files.manifest, manifest(status)),
    async finish(status: 'done' | 'interrupted', stats: CrawlStats) {
      const summary = report(status, stats);
      const final = manifest(status, stats, summary);
      Object.assign(counts, final.counts);
      await writeJsonAtomic(claim.files.manifest, final);
      return { summary, final };
    },
  };
}


/** How often a running run says it is alive (its lease, DEFAULT_LEASE_MS in state/liveness.ts, is six beats). */
const HEARTBEAT_MS = 10_000;

/** Default layout, or -o FILE with its rejects and manifest beside it (or under output.dir for stdout). */
function chooseFiles(spec: RunSpec, config: Config, runId: string, startedAt: Date): RunFiles {
  const paths = runPaths(config.output.dir, runId, startedAt, { gzip: config.output.gzip });
  if (spec.output === undefined) return { records: paths.records, rejects: spec.rejects ?? paths.rejects, manifest: paths.manifest };
  if (spec.output === '-') return { records: '-', rejects: spec.rejects ?? paths.rejects, manifest: paths.manifest };
  const base = spec.output.replace(/\.jsonl(\.gz)?$/, '');
  return { records: spec.output, rejects: spec.rejects ?? `${base}.rejects.jsonl${isGzip(spec.output) ? '.gz' : ''}`, manifest: `${base}.manifest.json` };
}

/** Repair a killed run's files and hand every complete line back to the ledger. */
async function adoptWritten(
  files: { records: string; rejects: string | null },
  adopt: (r: ArticleRecord) => void,
  adoptReject: (r: Reject) => void,
): Promise<number> {
  let adopted = 0;
  if (files.records !== '-') {
    await repairRunFile(files.records, { gzip: isGzip(files.records) });
    for await (const line of readRunLines(files.records, { gzip: isGzip(files.records), missingOk: true })) {
      adopt(line as ArticleRecord);
      adopted++;
    }
  }
  if (files.rejects) {
    await repairRunFile(files.rejects, { gzip: isGzip(files.rejects) });
    for await (const line of readRunLines(files.rejects, { gzip: isGzip(files.rejects), missingOk: true })) adoptReject(line as Reject);
  }
  return adopted;
}

