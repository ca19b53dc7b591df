/**
 * `crawl --queue`: the run is planned here and fetched by workers. This
 * process claims the run in the state (a resumed plan takes up its killed
 * run), publishes the run's description (run-meta.ts), runs discovery
 * (feeds, sitemaps, start URLs) through the state's gate, puts each URL on
 * the queue as a page job, then waits until every job of the run has
 * finished, and ends the run as a local crawl does: counts, the manifest
 * (listing every worker's part files), the summary and the same exit codes.
 * `--no-wait` stops after planning; running the same command later waits
 * for the same run and ends it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { type CrawlStats, type Job, planJobs } from '../crawl/index.js';
import { createCrawlDeps } from '../crawl/deps.js';
import { type Claim, type RunSpec, type RunSummary, buildReport, claimRun, createLedger, createTally, ledgerOptionsFor, manifestOf, markRunFailed, startHeartbeat, writeManifest, writeOutcomes } from '../run/index.js';
import type { Logger } from '../shared/log.js';
import { openStore, storeLocation } from '../state/open.js';
import type { StateStore } from '../state/store.js';
import { repairRunFile, repairRunWarc, runWarcFiles } from '../stages/export/index.js';
import { canonicalizeUrl } from '../stages/normalize/index.js';
import { type PageJobData, addPageJobs, jobProgress, requeueLost } from './page-jobs.js';
import { openRunParts } from './parts.js';
import { runPoliteness } from './politeness.js';
import { PAGE_QUEUE, closeRedis, connectRedis, runKey } from './redis.js';
import { publishRunMeta, runFolder } from './run-meta.js';
import { reachable } from './worker.js';

export interface QueuedCrawlOptions {
  queueUrl: string;
  /** Wait for the workers and end the run (default); false: plan, queue and return. */
  wait: boolean;
  log: Logger;
  /** Called while waiting, with the jobs finished and queued so far. */
  onProgress?: (finished: number, queued: number) => void;
}

export async function runQueuedCrawl(spec: RunSpec, config: Config, o: QueuedCrawlOptions): Promise<RunSummary> {
  const started = performance.now();
  const store = openStore(storeLocation(config.state));
  const redis = connectRedis(o.queueUrl, 'newsclean-coordinator');
  let heartbeat: { stop(): void } | undefined;
  try {
    await reachable({ redis }, o.queueUrl);
    const claim = await claimRun(spec, config, store, o.log);
    heartbeat = startHeartbeat(store, claim.runId);
    try {
      return await coordinate(spec, config, store, redis, claim, o, started);
    } catch (err) {
      markRunFailed(store, claim.runId, err, o.log);
      throw err;
    }
  } finally {
    heartbeat?.stop();
    await closeRedis(redis);
    store.close();
  }
}

/** The run's WARC files in the archive folder (every worker's that shares it), each cut back to its last whole record once the run is done (a killed worker's torn last record). */
async function runArchiveFiles(dir: string, runId: string, repair: boolean): Promise<string[]> {
  if (repair) await repairRunWarc(dir, runId);
  return runWarcFiles(dir, runId);
}

async function coordinate(spec: RunSpec, config: Config, store: StateStore, redis: Redis, claim: Claim, o: QueuedCrawlOptions, started: number): Promise<RunSummary> {
  const { runId } = claim;
  const log = o.log.child({ run_id: runId });
  const queue = new Queue(PAGE_QUEUE, { connection: redis });
  const folder = runFolder(config.output.dir, { runId, startedAt: claim.startedAt.toISOString() });
  const parts = await openRunParts(folder, 'coordinator', config.output.gzip);
  const { politeness } = runPoliteness(redis, runId, `coordinator-${process.pid}`, spec.plan.sites, config.fetch);
  const deps = createCrawlDeps(config, log, 0, { politeness, runId });
  try {
    await publishRunMeta(redis, { runId, command: spec.command, startedAt: claim.startedAt.toISOString(), sites: spec.plan.sites, refresh: spec.refresh, force: spec.force, conditional: spec.conditional, fetch: config.fetch, maxArticles: spec.plan.maxArticles });
    const ledger = createLedger(store, ledgerOptionsFor(spec, config, runId, (url) => canonicalizeUrl(url, deps.urlRules)));
    const tally = createTally();
    const planned = await plan(spec, deps, ledger.gate, queue, redis, runId, log);
    await writeOutcomes(planned.outcomes, { ledger, records: parts.records, rejects: parts.rejects, tally });
    await parts.close();
    if (!o.wait) return summaryOf(claim, tally.counts, tally.rejectsByCode, planned.stats, config, started, 'interrupted', planned.sitesFailed);
    const stopped = await waitForJobs(queue, redis, runId, spec.signal, o.onProgress);
    const totals = await runTotals(redis, runId, tally);
    const status = stopped ? 'interrupted' : 'done';
    // A worker killed mid-line left a torn last line: cut, as a local run's files are on resume (its page was taken over and written whole elsewhere).
    if (status === 'done') for (const part of listParts(folder)) await repairRunFile(join(folder, part), { gzip: part.endsWith('.gz') });
    const warc = config.output.warc === undefined ? undefined : await runArchiveFiles(config.output.warc, runId, status === 'done');
    const summary = summaryOf(claim, totals.counts, totals.rejectsByCode, planned.stats, config, started, status, planned.sitesFailed);
    // The run's output is its folder: the parts, and the manifest written here once.
    const files = { records: folder, rejects: null, manifest: join(folder, 'manifest.json') };
    await writeManifest(files.manifest, {
      ...manifestOf({ runId, command: spec.command, status, startedAt: claim.startedAt, files, counts: totals.counts, rejectsByCode: totals.rejectsByCode }),
      parts: listParts(folder),
      ...(warc && { warc }),
      summary: summary.report,
    });
    if (status === 'done') store.endRun(runId, 'done', Date.now(), totals.counts);
    store.releaseSiteLocks(runId);
    return { ...summary, files };
  } finally {
    await parts.close().catch(() => undefined);
    await deps.close();
    await queue.close();
  }
}

/** Discovery through the gate; each admitted URL a page job (added in batches as discovery goes). */
async function plan(spec: RunSpec, deps: ReturnType<typeof createCrawlDeps>, gate: ReturnType<typeof createLedger>['gate'], queue: Queue, redis: Redis, runId: string, log: Logger) {
  let batch: Array<Omit<PageJobData, 'runId'>> = [];
  let adding = Promise.resolve();
  const flush = (): void => {
    const jobs = batch;
    batch = [];
    adding = adding.then(() => addPageJobs(queue, redis, runId, jobs).then(() => undefined));
  };
  const onJob = (job: Job): void => {
    batch.push({ key: job.key, url: job.url, depth: job.depth, site: job.site?.source.name ?? null, validators: job.validators, listedDate: job.listedDate });
    if (batch.length >= 200) flush();
  };
  const { stats, outcomes, health } = await planJobs(spec.plan, { ...deps, gate, log, ...(spec.signal && { signal: spec.signal }) }, onJob);
  flush();
  await adding;
  return { stats, outcomes, sitesFailed: health.failures() };
}

/** No job of the run finished for this long, with the queue empty: look for jobs lost between being taken in and added. */
const STALL_MS = 10_000;

/** Until every job queued has finished (true: stopped by a signal first, the run left to resume). */
async function waitForJobs(queue: Queue, redis: Redis, runId: string, signal: AbortSignal | undefined, onProgress?: (finished: number, queued: number) => void): Promise<boolean> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const { queued, finished } = await jobProgress(redis, runId);
    onProgress?.(finished, queued);
    if (finished >= queued) return false;
    if (signal?.aborted) return true;
    if (finished !== last) (last = finished), (since = Date.now());
    else if (Date.now() - since > STALL_MS) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) await requeueLost(queue, redis, runId);
      since = Date.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The run's counts: every worker's totals (run-context.ts), plus discovery's own (its rejects). */
async function runTotals(redis: Redis, runId: string, planning: ReturnType<typeof createTally>) {
  const counts = { ...planning.counts } as RunSummary['counts'] & Record<string, number>;
  const rejectsByCode = { ...planning.rejectsByCode };
  for (const worker of await redis.smembers(runKey(runId, 'workers'))) {
    for (const [k, v] of Object.entries(await redis.hgetall(runKey(runId, `counts:${worker}`)))) {
      if (k.startsWith('code:')) rejectsByCode[k.slice(5)] = (rejectsByCode[k.slice(5)] ?? 0) + Number(v);
      else if (k in counts) counts[k] = (counts[k] ?? 0) + Number(v);
    }
  }
  return { counts, rejectsByCode };
}

function summaryOf(claim: Claim, counts: RunSummary['counts'], rejectsByCode: Record<string, number>, stats: CrawlStats, config: Config, started: number, status: 'done' | 'interrupted', sitesFailed: RunSummary['sitesFailed']): RunSummary {
  const all = { ...counts, discovered: counts.discovered + stats.discovered, known: counts.known + stats.known, deferred: counts.deferred + stats.deferred, tooOld: stats.tooOld, sitesFailed: sitesFailed.length };
  const seconds = (performance.now() - started) / 1000;
  const report = buildReport({ status, seconds, counts: all, rejectsByCode, bytes: stats.bytes, hosts: {}, fetchMs: [] }, config.run.ignoreCodes);
  return { runId: claim.runId, status, resumed: claim.previous !== undefined, files: claim.files, counts: all, rejectsByCode, seconds, report, sitesFailed };
}

/** The part files the workers (and the coordinator) wrote, sorted. */
function listParts(folder: string): string[] {
  try {
    return readdirSync(folder).filter((f) => /^part-.*\.jsonl(\.gz)?$/.test(f)).sort();
  } catch {
    return [];
  }
}
