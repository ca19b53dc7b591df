/**
 * What the admin commands (admin.ts) share: dates and run summaries as
 * shown, and what they need of a store beyond the contract.
 */
import type { SqlDb } from './sql-db.js';
import type { StateStore } from './state-store.js';

export const iso = (ms: number | null | undefined): string | null => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

export function parseSummary(summary: string | null): unknown {
  if (summary === null) return null;
  try {
    return JSON.parse(summary) as unknown;
  } catch {
    return summary;
  }
}

/** What the admin commands need of a store beyond the contract: SQL, and its size on disk. */
export interface AdminAccess {
  readonly db: SqlDb;
  /** Bytes the store takes now: the database, its write-ahead log file, and free pages (0 where the store cannot tell, or in memory). */
  sizes(): { total: number; wal: number; free: number };
  /** After a prune: give the space back (SQLite: WAL checkpoint, and VACUUM when asked; PostgreSQL: VACUUM when asked). */
  reclaim(vacuum: boolean): { checkpointed: boolean; vacuumed: boolean };
}

/** A store the admin commands work on: the SQLite store (sqlite-admin.ts) or the PostgreSQL store (postgres/store.ts). */
export type AdminStore = StateStore & { readonly admin: AdminAccess };
