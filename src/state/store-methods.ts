/**
 * The contract's methods over any SqlDb (sql-db.ts): URL rows, texts and
 * clusters, runs, frontiers and site locks, each from its own module. The
 * SQLite store (store.ts) and the PostgreSQL store (postgres/store.ts) add
 * only what differs: how they open, migrate and check their storage.
 */
import { siteLocksOver } from './site-locks.js';
import type { SqlDb } from './sql-db.js';
import type { StateStore } from './state-store.js';
import { dedupeOver } from './store-dedupe.js';
import { frontierOver } from './store-frontier.js';
import { runsOver } from './store-runs.js';
import { urlsOver } from './store-urls.js';

export type StoreMethods = Omit<StateStore, 'path' | 'schemaVersion' | 'checkIntact'>;

export function storeMethods(db: SqlDb): StoreMethods {
  const locks = siteLocksOver(db);
  return {
    ...urlsOver(db),
    ...dedupeOver(db),
    ...runsOver(db, locks),
    ...frontierOver(db),
    ...locks,
    transaction: (fn) => db.transaction(fn)(),
    isOpen: () => db.open,
    close: () => void db.close(),
  };
}
