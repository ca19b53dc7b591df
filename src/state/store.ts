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
import type { AdminAccess } from './admin-common.js';
import { guardFaults, toStateFault } from './faults.js';
import { checkIntact, checkingIntact } from './intact.js';
import { MIGRATIONS } from './migrations.js';
import type { SqlDb } from './sql-db.js';
import { sqliteAdmin } from './sqlite-admin.js';
import type { StateStore as Contract } from './state-store.js';
import { type FileIdentity, createStoreFile, fileIdentity, refuseEmptyFile } from './store-file.js';
import { storeMethods } from './store-methods.js';

export type { Exported, Failed, FrontierItem, RetryPolicy, RunRow, RunStatus, Unchanged, UrlRow, UrlStatus } from './state-store.js';
export { runOwner } from './state-store.js';

/**
 * The SQLite implementation of the contract in state-store.ts, plus its raw
 * handle: the admin commands (admin.ts) and tests work on it directly.
 */
export interface SqliteStateStore extends Contract {
  /** The raw better-sqlite3 handle, for tests and SQLite-only tools. */
  readonly db: Database.Database;
  /** What stats, export and prune (src/state/admin.ts) need. */
  readonly admin: AdminAccess;
}

/** Callers type against the contract; only tests need SqliteStateStore. */
export type StateStore = Contract;

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

/**
 * The store over a migrated connection (its methods: store-methods.ts); run
 * writes check the file is still the one opened.
 */
function storeOver(db: Database.Database, path: string, identity: FileIdentity | null): SqliteStateStore {
  const intact = (): void => checkIntact(path, identity, db);
  const store: SqliteStateStore = {
    path,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    db,
    admin: sqliteAdmin(db, path),
    // better-sqlite3's handle has SqlDb's shape (its prepare() generics are only wider).
    ...storeMethods(db as unknown as SqlDb),
    checkIntact: intact,
  };
  return checkingIntact(store, intact, (err) => toStateFault(path, err));
}
