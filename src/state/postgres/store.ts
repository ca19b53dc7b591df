/**
 * The state store in PostgreSQL, for many workers on many machines sharing
 * one memory: the contract of ../state-store.ts with the same methods as the
 * SQLite store (../store-methods.ts) over a synchronous node-postgres pool
 * (bridge.ts, connection.ts). Migrations are applied on open under an
 * advisory lock, so workers starting at once apply each migration once.
 */
import { NewscleanError } from '../../shared/errors.js';
import type { AdminAccess } from '../admin-common.js';
import { checkingIntact } from '../intact.js';
import type { SqlDb } from '../sql-db.js';
import type { StateStore } from '../state-store.js';
import { storeMethods } from '../store-methods.js';
import { type BridgeOptions, SyncPostgres } from './bridge.js';
import { WRITE_LOCK_KEY, postgresDb } from './connection.js';
import { redactUrl } from './location.js';
import { PG_MIGRATIONS } from './migrations.js';

export interface PostgresStateStore extends StateStore {
  /** What stats, export and prune (../admin.ts) need; `admin.db` is the connection. */
  readonly admin: AdminAccess;
}

export interface PostgresOpenOptions extends BridgeOptions {
  /** Refuse a database that holds no newsclean state (STATE_UNAVAILABLE) instead of creating the tables. */
  mustExist?: boolean;
}

/** Open the store at a postgres:// URL, creating or migrating its tables; every fault of the server is STATE_UNAVAILABLE naming the URL (password masked). */
export function openPostgresState(url: string, opts: PostgresOpenOptions = {}): PostgresStateStore {
  const name = redactUrl(url);
  const pg = new SyncPostgres(url, name, opts);
  try {
    const db = postgresDb(pg);
    const schemaVersion = migrate(db, name, opts.mustExist === true);
    const store: PostgresStateStore = { path: name, schemaVersion, admin: postgresAdmin(db), ...storeMethods(db), checkIntact: () => undefined };
    // Nothing to check between writes (the server is the store); the heartbeat still never throws.
    return checkingIntact(store, () => undefined, (err) => err);
  } catch (err) {
    try {
      pg.close();
    } catch {
      // already unreachable
    }
    throw err;
  }
}

/** Apply the missing migrations in one transaction under newsclean's write lock; returns the schema version. */
function migrate(db: SqlDb, name: string, mustExist: boolean): number {
  return db.transaction(() => {
    db.prepare('SELECT pg_advisory_xact_lock(?)').get(WRITE_LOCK_KEY);
    const table = db.prepare<[], { t: string | null }>("SELECT to_regclass('newsclean_schema')::text AS t").get();
    if (!table?.t) {
      if (mustExist) throw new NewscleanError('STATE_UNAVAILABLE', `state store ${name} holds no newsclean state (crawl, scrape and recrawl create it; check the URL)`);
      db.exec('CREATE TABLE newsclean_schema (version INTEGER NOT NULL); INSERT INTO newsclean_schema VALUES (0)');
    }
    const current = db.prepare<[], { version: number }>('SELECT version FROM newsclean_schema').get()?.version ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new NewscleanError('STATE_UNAVAILABLE', `state store ${name} schema ${current} is newer than this newsclean (${PG_MIGRATIONS.length}); upgrade newsclean`);
    }
    for (let v = current; v < PG_MIGRATIONS.length; v++) db.exec(PG_MIGRATIONS[v]!);
    if (current < PG_MIGRATIONS.length) db.prepare('UPDATE newsclean_schema SET version = ?').run(PG_MIGRATIONS.length);
    return PG_MIGRATIONS.length;
  })();
}

/** newsclean's tables with their indexes and TOAST, not the rest of the database (its catalog alone is ~7 MB). */
const TABLES_SIZE = `SELECT sum(pg_total_relation_size(to_regclass(t))) AS n
  FROM unnest(ARRAY['urls', 'contents', 'clusters', 'runs', 'frontier', 'site_locks', 'newsclean_schema']) AS t`;

/** Sizes from the server (the WAL is the server's, not the store's: 0); VACUUM when asked. */
function postgresAdmin(db: SqlDb): AdminAccess {
  return {
    db,
    sizes: () => ({ total: db.prepare<[], { n: number | null }>(TABLES_SIZE).get()?.n ?? 0, wal: 0, free: 0 }),
    reclaim(vacuum) {
      if (vacuum) db.exec('VACUUM');
      return { checkpointed: false, vacuumed: vacuum };
    },
  };
}
