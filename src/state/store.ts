/**
 * newsclean's memory between runs, the SQLite implementation of the contract
 * in state-store.ts: one file (better-sqlite3, WAL) with what happened to
 * every URL, which texts were already exported, the near-duplicate clusters,
 * and each run's frontier so a killed run resumes. Synchronous by design:
 * every call is a few microseconds, and a crawl's bookkeeping stays in order
 * without locks.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NewscleanError } from '../shared/errors.js';
import { guardFaults, toStateFault } from './faults.js';
import { checkIntact, checkingIntact } from './intact.js';
import { MIGRATIONS } from './migrations.js';
import { siteLocksOver } from './site-locks.js';
import type { StateStore as Contract, FrontierItem, RetryPolicy, RunRow, UrlRow, UrlStatus } from './state-store.js';
import { type FileIdentity, createStoreFile, fileIdentity, refuseEmptyFile } from './store-file.js';

export type { Exported, Failed, FrontierItem, RetryPolicy, RunRow, RunStatus, Unchanged, UrlRow, UrlStatus } from './state-store.js';
export { runOwner } from './state-store.js';

/**
 * The SQLite implementation of the contract in state-store.ts, plus its raw
 * handle: the admin commands (admin.ts) and tests work on it directly.
 */
export interface SqliteStateStore extends Contract {
  /** The raw better-sqlite3 handle, for stats, export and prune (src/state/admin.ts). */
  readonly db: Database.Database;
}

/**
 * The name callers import from here. It is still the SQLite store, not the
 * contract, because two callers read `store.db.open` (src/run/ledger.ts,
 * src/cli/state.ts): once they call `isOpen()`, this becomes a re-export of
 * state-store.ts's `StateStore` and callers type against the contract.
 */
export type StateStore = SqliteStateStore;

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
export function openState(path: string, opts: OpenOptions = {}): SqliteStateStore {
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

function storeOver(db: Database.Database, path: string, identity: FileIdentity | null): SqliteStateStore {
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

  const store: SqliteStateStore = {
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
    isOpen: () => db.open,
    close: () => db.close(),
  };
  return checkingIntact(store, () => checkIntact(path, identity, db), (err) => toStateFault(path, err));
}
