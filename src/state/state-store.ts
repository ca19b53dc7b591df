/**
 * The state store's contract: what runs, the CLI and the scheduler may ask of
 * newsclean's memory between runs, whatever holds it. src/state/store.ts is
 * the SQLite implementation (`openState`); another backend implements this
 * same interface and nothing else, so this file names no database.
 *
 * What every implementation guarantees:
 * - Synchronous: each call has taken effect when it returns; a crawl's
 *   bookkeeping stays in order without locks.
 * - A fault of the storage itself (unreachable, read-only, full, corrupt,
 *   deleted or replaced under a run) is a NewscleanError STATE_UNAVAILABLE
 *   naming the store, never a raw driver error. Programming errors stay as they are.
 * - URLs: `markExported` is an upsert keyed by URL key: the row ends
 *   `exported` with this version, article id, validators and run, whatever it
 *   was (again with the same record: the same row, only `attempts` adds up).
 *   An exported URL stays exported: `markFailed` and `markUnchanged` never
 *   take that back. `markFailed` schedules retries per RetryPolicy and gives
 *   a URL up after `maxRuns` failed runs.
 * - Texts and near-duplicates: `addContent` keeps the first article of a
 *   content hash (later calls are no-ops); `addCluster` replaces an article's
 *   cluster and signature.
 * - Frontier: `addToFrontier` ignores URL keys the run already has, and
 *   `frontierDone` may be repeated; `pendingFrontier` lists what is not done,
 *   shallowest first, then in insertion order.
 * - Runs: `beginRun` (re)starts a run as `running`; `failRun` and `endRun`
 *   close it; `failRun` changes only a running run and releases its site locks.
 *   `heartbeat` never throws (it runs on a timer): a fault it meets is thrown
 *   by the run's next write instead.
 * - Site locks: `acquireSiteLocks` is all or nothing, checked and taken
 *   atomically against other processes sharing the store.
 * - `transaction(fn)`: all of fn's writes or none (fn throws: none, and the
 *   error is rethrown).
 */
import type { OwnerIdentity } from './liveness.js';

export type UrlStatus = 'exported' | 'rejected' | 'failed' | 'gave_up';

export interface UrlRow {
  url_key: string;
  url: string;
  site: string | null;
  status: UrlStatus;
  attempts: number;
  failed_runs: number;
  next_retry_at: number | null;
  last_code: string | null;
  last_fetched_at: number | null;
  etag: string | null;
  last_modified: string | null;
  content_hash: string | null;
  article_id: string | null;
  version: number;
  exported_run: string | null;
  first_seen_at: number;
  updated_at: number;
}

/** `failed`: the run ended in an error, or was cleared by `state runs --clear`; never resumed. */
export type RunStatus = 'running' | 'done' | 'interrupted' | 'failed';
export interface RunRow {
  run_id: string;
  command: string;
  plan_hash: string;
  status: RunStatus;
  started_at: number;
  ended_at: number | null;
  records_path: string | null;
  rejects_path: string | null;
  manifest_path: string | null;
  summary: string | null;
  /** The process running it (schema 2): pid and hostname. */
  owner_pid: number | null;
  owner_host: string | null;
  /** The owner's last sign of life, ms since epoch (schema 3). */
  heartbeat_at?: number | null;
  /** The owner's start time (clock ticks since boot) and boot id (schema 4; src/state/liveness.ts). */
  owner_started?: number | null;
  owner_boot?: string | null;
  /** Why a failed run failed (schema 4). */
  failure_reason?: string | null;
}

export interface FrontierItem { url_key: string; url: string; depth: number; site: string | null }

/** Where a URL stands after one fetch. `at` is ms since epoch. */
interface Seen { key: string; url: string; site: string | null; at: number; attempts: number }
export interface Exported extends Seen { runId: string; etag: string | null; lastModified: string | null; contentHash: string; articleId: string; version: number }
export interface Unchanged extends Seen { etag: string | null; lastModified: string | null }
export interface Failed extends Seen { code: string; transient: boolean }
/** Later runs retry a transient failure after baseDelayMs × 2^(runs−1), capped; after maxRuns failed runs the URL is given up. */
export interface RetryPolicy { maxRuns: number; baseDelayMs: number; maxDelayMs: number }

export interface SiteLockOwner extends OwnerIdentity {
  runId: string;
}

export interface SiteLockRow {
  site: string;
  run_id: string;
  owner_pid: number;
  owner_host: string;
  owner_started: number | null;
  owner_boot: string | null;
  heartbeat_at: number;
  acquired_at: number;
}

export type AcquireResult = { ok: true } | { ok: false; heldBy: { site: string; run_id: string; owner_pid: number; owner_host: string } };

/** Per-site locks (src/state/site-locks.ts): a lock belongs to a run and is held while its owner lives. */
export interface SiteLocks {
  /** All or nothing: every site locked for `owner.runId`, or none (and who holds the first one refused). */
  acquireSiteLocks(sites: string[], owner: SiteLockOwner, now: number, leaseMs?: number): AcquireResult;
  heartbeatSiteLocks(runId: string, now: number): void;
  releaseSiteLocks(runId: string): void;
  siteLocks(): SiteLockRow[];
}

export interface StateStore extends SiteLocks {
  /** Where the store lives (a file path, ':memory:' for tests), for messages. */
  readonly path: string;
  /** The schema version after migrations. */
  readonly schemaVersion: number;
  getUrl(key: string): UrlRow | undefined;
  markExported(e: Exported): void;
  /** Fetched again with nothing new (304, or the same text): no record, dates and validators refreshed. */
  markUnchanged(e: Unchanged): void;
  /** A reject: final ones become `rejected`; transient ones `failed` with a retry time, or `gave_up`. */
  markFailed(e: Failed, policy: RetryPolicy): UrlStatus;
  /** The first article exported with exactly this text, if any. */
  firstWithContent(contentHash: string): { article_id: string; url_key: string } | undefined;
  addContent(contentHash: string, articleId: string, key: string): void;
  /** A URL other than `exceptKey` that exported this article id (in any run), if any (schema 4). */
  urlWithArticle(articleId: string, exceptKey: string): { url_key: string; url: string; exported_run: string | null } | undefined;
  addCluster(articleId: string, clusterId: string, signature: Uint8Array, at: number): void;
  /** Cluster members added at or after `since` (ms since epoch), oldest first. */
  clusters(since?: number): IterableIterator<{ article_id: string; cluster_id: string; signature: Buffer }>;
  beginRun(run: Omit<RunRow, 'status' | 'ended_at' | 'summary' | 'failure_reason'>): void;
  /** A resumed run changes hands. Pass the owner's start time and boot id (liveness.ts `ownerOf()`) so its liveness can be checked. */
  claimRun(runId: string, ownerPid: number, ownerHost: string, started?: number | null, boot?: string | null): void;
  /**
   * The owner is alive: refreshed while the run goes (see run.ts); the run's
   * site locks too. Never throws (it runs on a timer, where a throw is an
   * uncaught exception): it checks the file is intact, and a fault it meets
   * is thrown by the run's next write instead.
   */
  heartbeat(runId: string, at: number): void;
  /** The run ended in an error: `failed`, its site locks released; the next run of its plan starts afresh. False if it was not running. */
  failRun(runId: string, at: number, reason: string): boolean;
  /** Runs, newest first, optionally of one status. */
  listRuns(status?: RunStatus): RunRow[];
  /**
   * Throws STATE_UNAVAILABLE when the store is no longer the one opened (its
   * file deleted or replaced). Cheap (one stat()): call it from the heartbeat.
   */
  checkIntact(): void;
  /** The latest run of this command and plan that neither finished nor was closed. */
  unfinishedRun(command: string, planHash: string): RunRow | undefined;
  getRun(runId: string): RunRow | undefined;
  endRun(runId: string, status: RunStatus, endedAt: number, summary: unknown): void;
  addToFrontier(runId: string, items: FrontierItem[]): void;
  frontierDone(runId: string, key: string): void;
  pendingFrontier(runId: string): FrontierItem[];
  /** URLs exported before, of these sites (all when empty), first seen in [since, until). */
  exportedUrls(range: { sites: string[]; since: Date | null; until: Date | null }): string[];
  /** URL keys the run has settled (exported, rejected or unchanged). */
  doneFrontier(runId: string): string[];
  transaction<T>(fn: () => T): T;
  /** False once closed. */
  isOpen(): boolean;
  close(): void;
}

/** The recorded owner of a run, for liveness.ts `isOwnerAlive`. */
export const runOwner = (run: RunRow): OwnerIdentity & { heartbeatAt: number | null } => ({
  pid: run.owner_pid ?? -1,
  host: run.owner_host ?? '',
  started: run.owner_started ?? null,
  boot: run.owner_boot ?? null,
  heartbeatAt: run.heartbeat_at ?? null,
});
