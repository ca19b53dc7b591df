/**
 * What the SQLite-only admin commands (admin.ts) share: dates and run
 * summaries as shown, and the sizes of the database file.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { SqliteStateStore } from './store.js';

export const iso = (ms: number | null | undefined): string | null => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

export function parseSummary(summary: string | null): unknown {
  if (summary === null) return null;
  try {
    return JSON.parse(summary) as unknown;
  } catch {
    return summary;
  }
}

export function pageBytes(db: Database.Database): { total: number; free: number } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freelist = db.pragma('freelist_count', { simple: true }) as number;
  return { total: pageCount * pageSize, free: freelist * pageSize };
}

export const inMemory = (store: SqliteStateStore): boolean => store.path === ':memory:' || store.path === '' || store.db.memory;

export function walSize(store: SqliteStateStore): number {
  if (inMemory(store)) return 0;
  try {
    return statSync(`${store.path}-wal`).size;
  } catch {
    return 0;
  }
}
