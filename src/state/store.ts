/**
 * newsclean's memory between runs: one SQLite file (better-sqlite3, WAL) with
 * what happened to every URL, which texts were already exported, the
 * near-duplicate clusters, and each run's frontier so a killed run resumes.
 * Synchronous by design: every call is a few microseconds, and a crawl's
 * bookkeeping stays in order without locks.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NewscleanError } from '../shared/errors.js';
import { guardFaults, toStateFault } from './faults.js';
import { checkIntact, checkingIntact } from './intact.js';
import type { OwnerIdentity } from './liveness.js';
import { MIGRATIONS } from './migrations.js';
import { type SiteLocks, siteLocksOver } from './site-locks.js';
import { type FileIdentity, createStoreFile, fileIdentity, refuseEmptyFile } from './store-file.js';

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

export interface StateStore extends SiteLocks {
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
   * Throws STATE_UNAVAILABLE when the file at the store's path is no longer
   * the one this store has open (deleted or replaced). One stat(): call it
   * from the heartbeat.
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
  /** The raw handle, for stats, export and prune (src/state/admin.ts). */
  readonly db: Database.Database;
  close(): void;
}

export interface OpenOptions {
  /** Refuse a missing store (STATE_UNAVAILABLE) instead of creating it: for commands that only look (state stats, export, runs, prune). */
  mustExist?: boolean;
}

/** How long a connection waits for another process's lock (migrations, writes) before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Open (creating if needed, unless `mustExist`) and migrate the store at
 * `path` (':memory:' for tests). A 0-byte file is refused (store-file.ts);
 * every fault of the file, then and later, is STATE_UNAVAILABLE naming the path.
 */
export function openState(path: string, opts: OpenOptions = {}): StateStore {
  const memory = path === ':memory:';
  let db: Database.Database;
  let identity: FileIdentity | null = null;
  try {
    if (!memory) {
      if (opts.mustExist && !existsSync(path)) {
        throw new NewscleanError('STATE_UNAVAILABLE', `state store ${path} does not exist (crawl, scrape and recrawl create it; check the path)`);
      }
      refuseEmptyFile(path);
      createStoreFile(path, (tmp) => connect(tmp, false).close());
    }
    db = connect(path, !memory);
    if (!memory) identity = fileIdentity(path);
  } catch (err) {
    if (err instanceof NewscleanError) throw err;
    const fault = toStateFault(path, err);
    if (fault instanceof NewscleanError) throw fault;
    throw new NewscleanError('STATE_UNAVAILABLE', `cannot open state store ${path}: ${(err as Error).message}`, { cause: err });
  }
  return guardFaults(path, storeOver(db, path, identity));
}

/** A migrated connection. `mustExist`: the file was created whole beforehand (a vanished file is an error, not a new store). */
function connect(path: string, mustExist: boolean): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { fileMustExist: mustExist, timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // WAL + NORMAL: a crash loses at most the last commits, never corrupts
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function refuseNewer(current: number): void {
  if (current > MIGRATIONS.length) {
    throw new NewscleanError('STATE_UNAVAILABLE', `state store schema ${current} is newer than this newsclean (${MIGRATIONS.length}); upgrade newsclean`);
  }
}

/**
 * Apply the missing migrations in one exclusive transaction, re-reading the
 * version inside it: two processes opening an old store at once (or one made
 * by a newsclean without atomic creation) do not both apply a migration; the
 * second waits (busy timeout), then finds nothing left to do.
 */
function migrate(db: Database.Database): void {
  const seen = db.pragma('user_version', { simple: true }) as number;
  refuseNewer(seen);
  if (seen === MIGRATIONS.length) return;
  db.exec('BEGIN EXCLUSIVE');
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    refuseNewer(current);
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

const retryDelay = (failedRuns: number, p: RetryPolicy): number => Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failedRuns - 1));

function storeOver(db: Database.Database, path: string, identity: FileIdentity | null): StateStore {
  const q = {
    getUrl: db.prepare<[string], UrlRow>('SELECT * FROM urls WHERE url_key = ?'),
    upsertExported: db.prepare(`
      INSERT INTO urls (url_key, url, site, status, attempts, last_fetched_at, etag, last_modified, content_hash, article_id, version, exported_run, first_seen_at, updated_at)
      VALUES (@key, @url, @site, 'exported', @attempts, @at, @etag, @lastModified, @contentHash, @articleId, @version, @runId, @at, @at)
      ON CONFLICT (url_key) DO UPDATE SET url = @url, site = coalesce(@site, site), status = 'exported', attempts = attempts + @attempts,
        failed_runs = 0, next_retry_at = NULL, last_code = NULL, last_fetched_at = @at, etag = @etag, last_modified = @lastModified,
        content_hash = @contentHash, article_id = @articleId, version = @version, exported_run = @runId, updated_at = @at`),
    updateUnchanged: db.prepare(`
      UPDATE urls SET url = @url, attempts = attempts + @attempts, last_fetched_at = @at, failed_runs = 0, next_retry_at = NULL,
        etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified), updated_at = @at
      WHERE url_key = @key`),
    upsertFailed: db.prepare(`
      INSERT INTO urls (url_key, url, site, status, attempts, failed_runs, next_retry_at, last_code, last_fetched_at, first_seen_at, updated_at)
      VALUES (@key, @url, @site, @status, @attempts, @failedRuns, @nextRetryAt, @code, @at, @at, @at)
      ON CONFLICT (url_key) DO UPDATE SET url = @url, site = coalesce(@site, site),
        status = CASE WHEN status = 'exported' THEN 'exported' ELSE @status END,
        attempts = attempts + @attempts, failed_runs = @failedRuns, next_retry_at = @nextRetryAt, last_code = @code,
        last_fetched_at = @at, updated_at = @at`),
    firstWithContent: db.prepare<[string], { article_id: string; url_key: string }>('SELECT article_id, url_key FROM contents WHERE content_hash = ?'),
    addContent: db.prepare('INSERT OR IGNORE INTO contents (content_hash, article_id, url_key) VALUES (?, ?, ?)'),
    urlWithArticle: db.prepare<[string, string], { url_key: string; url: string; exported_run: string | null }>(
      'SELECT url_key, url, exported_run FROM urls WHERE article_id = ? AND url_key <> ? LIMIT 1',
    ),
    addCluster: db.prepare('INSERT OR REPLACE INTO clusters (article_id, cluster_id, signature, added_at) VALUES (?, ?, ?, ?)'),
    clusters: db.prepare<[number], { article_id: string; cluster_id: string; signature: Buffer }>('SELECT article_id, cluster_id, signature FROM clusters WHERE added_at >= ? ORDER BY added_at'),
    beginRun: db.prepare(`
      INSERT INTO runs (run_id, command, plan_hash, status, started_at, records_path, rejects_path, manifest_path, owner_pid, owner_host, owner_started, owner_boot, heartbeat_at)
      VALUES (@run_id, @command, @plan_hash, 'running', @started_at, @records_path, @rejects_path, @manifest_path, @owner_pid, @owner_host, @owner_started, @owner_boot, @heartbeat_at)
      ON CONFLICT (run_id) DO UPDATE SET status = 'running', ended_at = NULL, failure_reason = NULL`),
    claimRun: db.prepare('UPDATE runs SET owner_pid = ?, owner_host = ?, owner_started = ?, owner_boot = ? WHERE run_id = ?'),
    failRun: db.prepare("UPDATE runs SET status = 'failed', ended_at = ?, failure_reason = ? WHERE run_id = ? AND status = 'running'"),
    listRuns: db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY started_at DESC, run_id DESC'),
    listRunsIn: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE status = ? ORDER BY started_at DESC, run_id DESC'),
    heartbeat: db.prepare('UPDATE runs SET heartbeat_at = ? WHERE run_id = ?'),
    unfinishedRun: db.prepare<[string, string], RunRow>(
      "SELECT * FROM runs WHERE command = ? AND plan_hash = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1"),
    getRun: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?'),
    endRun: db.prepare('UPDATE runs SET status = ?, ended_at = ?, summary = ? WHERE run_id = ?'),
    addFrontier: db.prepare('INSERT OR IGNORE INTO frontier (run_id, url_key, url, depth, site) VALUES (?, ?, ?, ?, ?)'),
    frontierDone: db.prepare('UPDATE frontier SET done = 1 WHERE run_id = ? AND url_key = ?'),
    done: db.prepare<[string], { url_key: string }>('SELECT url_key FROM frontier WHERE run_id = ? AND done = 1'),
    pending: db.prepare<[string], FrontierItem>('SELECT url_key, url, depth, site FROM frontier WHERE run_id = ? AND done = 0 ORDER BY depth, rowid'),
  };
  const addFrontier = db.transaction((runId: string, items: FrontierItem[]) => {
    for (const i of items) q.addFrontier.run(runId, i.url_key, i.url, i.depth, i.site);
  });
  const locks = siteLocksOver(db);
  const heartbeat = db.transaction((runId: string, at: number) => {
    q.heartbeat.run(at, runId);
    locks.heartbeatSiteLocks(runId, at);
  });
  const failRun = db.transaction((runId: string, at: number, reason: string): boolean => {
    const changed = q.failRun.run(at, reason, runId).changes > 0;
    locks.releaseSiteLocks(runId);
    return changed;
  });

  const store: StateStore = {
    path,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    db,
    getUrl: (key) => q.getUrl.get(key),
    markExported: (e) => void q.upsertExported.run({ ...e }),
    markUnchanged: (e) => void q.updateUnchanged.run({ ...e }),
    markFailed(e, policy) {
      const prior = q.getUrl.get(e.key);
      let status: UrlStatus = 'rejected';
      let failedRuns = 0;
      let nextRetryAt: number | null = null;
      if (e.transient) {
        failedRuns = (prior?.failed_runs ?? 0) + 1;
        status = failedRuns >= policy.maxRuns ? 'gave_up' : 'failed';
        if (status === 'failed') nextRetryAt = e.at + retryDelay(failedRuns, policy);
      }
      q.upsertFailed.run({ key: e.key, url: e.url, site: e.site, status, attempts: e.attempts, failedRuns, nextRetryAt, code: e.code, at: e.at });
      // An exported article that later fails to fetch stays exported (its last version is still valid).
      return prior?.status === 'exported' ? 'exported' : status;
    },
    firstWithContent: (hash) => q.firstWithContent.get(hash),
    addContent: (hash, articleId, key) => void q.addContent.run(hash, articleId, key),
    urlWithArticle: (articleId, exceptKey) => q.urlWithArticle.get(articleId, exceptKey),
    addCluster: (articleId, clusterId, signature, at) => void q.addCluster.run(articleId, clusterId, Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength), at),
    clusters: (since = 0) => q.clusters.iterate(since),
    beginRun: (run) => void q.beginRun.run({ owner_started: null, owner_boot: null, heartbeat_at: null, ...run }),
    claimRun: (runId, pid, host, started = null, boot = null) => void q.claimRun.run(pid, host, started, boot, runId),
    heartbeat: (runId, at) => heartbeat(runId, at),
    failRun: (runId, at, reason) => failRun(runId, at, reason),
    listRuns: (status) => (status ? q.listRunsIn.all(status) : q.listRuns.all()),
    checkIntact: () => checkIntact(path, identity, db),
    ...locks,
    unfinishedRun: (command, planHash) => q.unfinishedRun.get(command, planHash),
    getRun: (runId) => q.getRun.get(runId),
    endRun: (runId, status, endedAt, summary) => void q.endRun.run(status, endedAt, JSON.stringify(summary), runId),
    addToFrontier: (runId, items) => addFrontier(runId, items),
    frontierDone: (runId, key) => void q.frontierDone.run(runId, key),
    pendingFrontier: (runId) => q.pending.all(runId),
    doneFrontier: (runId) => q.done.all(runId).map((r) => r.url_key),
    exportedUrls({ sites, since, until }) {
      const where = ["status = 'exported'"];
      const args: (string | number)[] = [];
      if (sites.length > 0) {
        where.push(`site IN (${sites.map(() => '?').join(', ')})`);
        args.push(...sites);
      }
      if (since) where.push('first_seen_at >= ?'), args.push(since.getTime());
      if (until) where.push('first_seen_at < ?'), args.push(until.getTime());
      return db.prepare<unknown[], { url: string }>(`SELECT url FROM urls WHERE ${where.join(' AND ')} ORDER BY first_seen_at`).all(...args).map((r) => r.url);
    },
    transaction: (fn) => db.transaction(fn)(),
    close: () => db.close(),
  };
  return checkingIntact(store, () => checkIntact(path, identity, db), (err) => toStateFault(path, err));
}

/** The recorded owner of a run, for liveness.ts `isOwnerAlive`. */
export const runOwner = (run: RunRow): OwnerIdentity & { heartbeatAt: number | null } => ({
  pid: run.owner_pid ?? -1,
  host: run.owner_host ?? '',
  started: run.owner_started ?? null,
  boot: run.owner_boot ?? null,
  heartbeatAt: run.heartbeat_at ?? null,
});
