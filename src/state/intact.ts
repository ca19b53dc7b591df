/**
 * A store deleted or replaced under a running run is noticed: the file at the
 * store's path must stay the one the store opened (same device and inode).
 * Otherwise the run would carry on into a file nobody will read.
 */
import type Database from 'better-sqlite3';
import { NewscleanError } from '../shared/errors.js';
import type { StateStore } from './state-store.js';
import { type FileIdentity, fileIdentity } from './store-file.js';

/** Throws STATE_UNAVAILABLE when the path no longer names the opened file (one stat(), a few µs). */
export function checkIntact(path: string, opened: FileIdentity | null, db: Database.Database): void {
  if (opened === null || !db.open) return;
  const now = fileIdentity(path);
  if (now === null || now.dev !== opened.dev || now.ino !== opened.ino) {
    throw new NewscleanError('STATE_UNAVAILABLE', `state store ${path} was deleted or replaced while the run was going; what this run did since is not in it`);
  }
}

/** The writes of a run's main flow, where a throw ends the run with its code. */
const RUN_WRITES = ['markExported', 'markUnchanged', 'markFailed', 'addToFrontier', 'frontierDone', 'endRun', 'transaction'] as const;
/** How often those writes look at the file. */
const INTACT_EVERY_MS = 2000;

/**
 * The store with its run writes checking, at most every INTACT_EVERY_MS,
 * that the file is intact (so a deleted store stops the run even where
 * nothing calls checkIntact), and a heartbeat that never throws: it checks
 * the file every time, and a fault it meets (made a STATE_UNAVAILABLE by
 * `asFault`) is thrown by the next run write.
 */
export function checkingIntact<S extends StateStore>(store: S, check: () => void, asFault: (err: unknown) => unknown): S {
  let lastCheck = Date.now();
  let fault: unknown = null;
  const out = { ...store } as Record<string, unknown>;
  for (const name of RUN_WRITES) {
    const write = store[name] as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => {
      if (fault !== null) throw fault;
      const now = Date.now();
      if (now - lastCheck >= INTACT_EVERY_MS) {
        lastCheck = now;
        check();
      }
      return write(...args);
    };
  }
  out.heartbeat = (runId: string, at: number): void => {
    if (fault !== null) return;
    try {
      check();
      store.heartbeat(runId, at);
    } catch (err) {
      fault = asFault(err);
    }
  };
  return out as unknown as S;
}
