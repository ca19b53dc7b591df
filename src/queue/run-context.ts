/**
 * A worker's view of one queued run, built on its first job and kept: the
 * run's description (run-meta.ts), crawl deps whose politeness is shared
 * through Redis (host-lease.ts, shared-robots.ts), the run's ledger over the
 * shared state store, and this worker's part files in the run's folder.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { type CrawlDeps, type QueuedRun, queuedRun } from '../crawl/index.js';
import { type CleanPool, createCrawlDeps } from '../crawl/deps.js';
import { type Ledger, type Tally, createLedger, createTally, ledgerOptionsFor } from '../run/index.js';
import type { Logger } from '../shared/log.js';
import { hostKey } from '../shared/url.js';
import type { StateStore } from '../state/store.js';
import { canonicalizeUrl } from '../stages/normalize/index.js';
import { type RunParts, openRunParts } from './parts.js';
import { runPoliteness } from './politeness.js';
import { type RunMeta, readRunMeta, runFolder } from './run-meta.js';
import { type SharedLimits, sharedLimits } from './article-limits.js';
import { runKey } from './redis.js';

export interface WorkerContext {
  config: Config;
  store: StateStore;
  redis: Redis;
  queue: Queue;
  pool: CleanPool;
  /** This worker's name: unique per process, in its part files' names. */
  worker: string;
  outputDir: string;
  log: Logger;
}

export interface RunContext {
  meta: RunMeta;
  /** The run's output folder (every worker's parts). */
  folder: string;
  deps: CrawlDeps & { close(): Promise<void> };
  queued: QueuedRun;
  ledger: Ledger;
  parts: RunParts;
  tally: Tally;
  keyOf: (url: string) => string;
  limits: SharedLimits;
  /** Other workers' near-duplicate clusters into this worker's index, at most every few seconds. */
  catchUp(): void;
  /** How long until a page of this URL's host may start (0: now), across all workers. */
  hostWait(url: string): Promise<number>;
  /** The job of `key` is done: this worker's counts for the run published, then the job counted finished (in that order: the coordinator reads the counts once all jobs have finished). */
  jobFinished(key: string): Promise<void>;
  close(): Promise<void>;
}

export async function openRunContext(w: WorkerContext, runId: string): Promise<RunContext> {
  const meta = await readRunMeta(w.redis, runId);
  const { politeness, lease, cap } = runPoliteness(w.redis, runId, w.worker, meta.sites, meta.fetch);
  const log = w.log.child({ run_id: runId });
  // The run's fetch settings, but what this worker may reach is its own operator's choice.
  const config: Config = { ...w.config, fetch: { ...meta.fetch, allowPrivateNetworks: w.config.fetch.allowPrivateNetworks } };
  const deps = createCrawlDeps(config, log, 0, { pool: w.pool, politeness, runId });
  const plan = { sites: meta.sites, urls: [], maxArticles: null, since: null };
  const keyOf = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  const ledger = createLedger(w.store, ledgerOptionsFor(meta, config, runId, keyOf));
  const folder = runFolder(w.outputDir, meta);
  const parts = await openRunParts(folder, w.worker, w.config.output.gzip);
  const queued = queuedRun(plan, deps);
  const tally = createTally();
  const publish = countsPublisher(w, runId, () => ({ ...tally.counts, ...ledger.counts, fetched: queued.stats.fetched }), () => tally.rejectsByCode);
  return {
    meta, folder, deps, queued, ledger, parts, tally, keyOf, limits: sharedLimits(w.redis, runId, meta.maxArticles),
    hostWait: (url) => lease.peek(url, deps.hosts.intervalFor(hostKey(url)), cap(hostKey(url))),
    catchUp: everyFewSeconds(() => ledger.catchUpClusters()),
    jobFinished: (key) => publish(key),
    close: async () => (await publish(null), await parts.close(), await deps.close()),
  };
}

/** `fn` at most once per CATCH_UP_MS. */
const CATCH_UP_MS = 5000;
function everyFewSeconds(fn: () => void): () => void {
  let last = Date.now();
  return () => {
    if (Date.now() - last < CATCH_UP_MS) return;
    last = Date.now();
    fn();
  };
}

/**
 * This worker's totals for a run, written whole (not added to: concurrent
 * jobs of one worker would race) into its own hash; the coordinator sums the
 * hashes of all workers (and of each opening of the run in one worker). Writes are chained, so the last one holds the latest totals.
 */
function countsPublisher(w: WorkerContext, runId: string, counts: () => Record<string, number>, codes: () => Record<string, number>) {
  // Per opening of the run in this worker: a run closed when idle and opened again counts from zero in a hash of its own.
  const me = `${w.worker}.${Date.now().toString(36)}`;
  let chain = Promise.resolve();
  return (finished: string | null): Promise<void> =>
    (chain = chain.then(async () => {
      const fields: Record<string, number> = { ...counts() };
      for (const [code, n] of Object.entries(codes())) fields[`code:${code}`] = n;
      const tx = w.redis.multi().sadd(runKey(runId, 'workers'), me).hset(runKey(runId, `counts:${me}`), fields);
      if (finished !== null) tx.sadd(runKey(runId, 'finished'), finished);
      await tx.exec();
    }));
}
