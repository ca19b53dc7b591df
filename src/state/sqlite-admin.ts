/**
 * The SQLite store's side of the admin commands (admin-common.ts
 * AdminAccess): sizes from the page counts and the -wal file beside the
 * database, and space given back by a WAL checkpoint and VACUUM.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { AdminAccess } from './admin-common.js';
import type { SqlDb } from './sql-db.js';

function pageBytes(db: Database.Database): { total: number; free: number } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freelist = db.pragma('freelist_count', { simple: true }) as number;
  return { total: pageCount * pageSize, free: freelist * pageSize };
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

export function sqliteAdmin(db: Database.Database, path: string): AdminAccess {
  const memory = path === ':memory:' || path === '' || db.memory;
  return {
    db: db as unknown as SqlDb, // better-sqlite3's handle has SqlDb's shape
    sizes() {
      if (memory) return { total: 0, wal: 0, free: 0 };
      return { ...pageBytes(db), wal: walSize(path) };
    },
    reclaim(vacuum) {
      if (!memory) db.pragma('wal_checkpoint(TRUNCATE)');
      if (vacuum) {
        db.exec('VACUUM');
        if (!memory) db.pragma('wal_checkpoint(TRUNCATE)');
      }
      return { checkpointed: !memory, vacuumed: vacuum };
    },
  };
}
