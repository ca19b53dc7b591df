/**
 * executeRun: one run from its claim to its end. Claim it (claim.ts), keep it
 * alive (locks.ts), adopt what a killed run wrote (resume.ts), crawl, write
 * each outcome (outcomes.ts), leave a manifest (manifest.ts).
 */
import type { Config } from '../config/schema.js';
import type { CrawlDeps, CrawlStats } from '../crawl/index.js';
import { crawl } from '../crawl/index.js';
import type { Logger } from '../shared/log.js';
import { openStore, storeLocation } from '../state/open.js';
import type { StateStore } from '../state/store.js';
import { repairRunWarc, runWarcFiles } from '../stages/export/index.js';
import { canonicalizeUrl } from '../stages/normalize/index.js';
import { type Claim, claimRun, markRunFailed } from './claim.js';
import { openRunSinks } from './files.js';
import { createLedger, ledgerOptionsFor } from './ledger.js';
import { startHeartbeat } from './locks.js';
import { runManifest } from './manifest.js';
import { type Tally, createTally, writeOutcomes } from './outcomes.js';
import { adoptWritten, resumedPlan } from './resume.js';
import { closeAll } from './shutdown.js';
import type { RunSpec, RunSummary } from './types.js';

/** The run's dependencies, made once its id is known (its web archive is named after it). */
type MakeDeps = (runId: string) => CrawlDeps & { close(): Promise<void> };

export async function executeRun(spec: RunSpec, config: Config, makeDeps: MakeDeps, log: Logger): Promise<RunSummary> {
  const started = performance.now();
  const store = openStore(storeLocation(config.state));
  let heartbeat: { stop(): void } | undefined;
  try {
    const claim = await claimRun(spec, config, store, log);
    const runLog = log.child({ run_id: claim.runId });
    heartbeat = startHeartbeat(store, claim.runId);
    try {
      return await runClaimed(spec, config, store, claim, makeDeps, runLog, started);
    } catch (err) {
      // Whatever stopped it (an output that failed, a bug), the run must not wedge later runs: they start fresh.
      markRunFailed(store, claim.runId, err, runLog);
      throw err;
    }
  } finally {
    heartbeat?.stop();
    store.close();
  }
}

/** A resumed run's web archive: the torn last record a kill left is cut, as the JSONL files' torn last line is. */
async function repairArchive(config: Config, runId: string, log: Logger): Promise<void> {
  if (config.output.warc === undefined) return;
  for (const r of await repairRunWarc(config.output.warc, runId)) {
    if (r.droppedBytes > 0) log.warn({ stage: 'export', file: r.file, droppedBytes: r.droppedBytes }, 'cut a torn last WARC record');
  }
}

/** The run proper: adopt what a killed run wrote, crawl, write each outcome, leave a manifest. */
async function runClaimed(spec: RunSpec, config: Config, store: StateStore, claim: Claim, makeDeps: MakeDeps, runLog: Logger, started: number): Promise<RunSummary> {
  const { runId, files, previous } = claim;
  const deps = makeDeps(runId);
  const closers: Array<() => unknown> = [() => deps.close()];
  try {
    const ledger = createLedger(store, ledgerOptionsFor(spec, config, runId, (url) => canonicalizeUrl(url, deps.urlRules)));
    const tally = createTally();
    if (previous) {
      runLog.warn({ stage: 'export', records: files.records }, 'resuming an interrupted run');
      tally.counts.adopted = await adoptWritten(files, (r) => ledger.adopt(r), (r) => ledger.adoptReject(r));
      await repairArchive(config, runId, runLog);
    }
    const plan = previous ? resumedPlan(spec.plan, store, runId) : spec.plan;
    const manifest = runManifest(spec, config, store, claim, tally, ledger, started);
    await manifest.write('running');

    // A resumed run's files were repaired before adoption.
    const { records, rejects } = await openRunSinks(files, { repair: previous === undefined }, closers);
    const run = crawl(plan, { ...deps, gate: ledger.gate, log: runLog, ...(spec.signal && { signal: spec.signal }) });
    startProgress(spec, run.stats, tally, closers);
    await writeOutcomes(run.outcomes, { ledger, records, rejects, tally });
    await closeAll(closers.splice(0));

    // Stopped by a signal: the state keeps the run open (status running, its frontier pending), so the same command resumes it.
    const status = spec.signal?.aborted ? 'interrupted' : 'done';
    const warc = config.output.warc === undefined ? undefined : await runWarcFiles(config.output.warc, runId);
    const { summary, final } = await manifest.finish(status, run.stats, warc);
    if (status === 'done') store.endRun(runId, 'done', Date.now(), final.counts);
    else runLog.warn({ stage: 'export', code: 'INTERRUPTED' }, 'run stopped before its end; the same command resumes it');
    store.releaseSiteLocks(runId); // an interrupted run keeps its frontier; whoever resumes it locks again
    return { runId, status, resumed: previous !== undefined, files, counts: tally.counts, rejectsByCode: tally.rejectsByCode, seconds: summary.duration_s, report: summary, sitesFailed: run.stats.sitesFailed };
  } finally {
    await closeAll(closers).catch(() => undefined); // only after a failure: the first error is already on its way
  }
}

/** Live progress, if asked for: the crawl's counters and the run's, read on each tick; stopped first when the run closes. */
function startProgress(spec: RunSpec, s: CrawlStats, tally: Tally, closers: Array<() => unknown>): void {
  const c = tally.counts;
  spec.progress?.start(() => ({ discovered: s.discovered, fetched: s.fetched, known: s.known, deferred: s.deferred, skipped: s.skipped, articles: c.articles, rejects: c.rejects, unchanged: c.unchanged }));
  closers.unshift(() => spec.progress?.stop());
}
