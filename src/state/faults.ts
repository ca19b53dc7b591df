/**
 * Faults of the state store's file (read-only, disk full, I/O errors, a
 * corrupt or foreign file, a lock held too long) end a run with
 * STATE_UNAVAILABLE and one line naming the store, never an internal error
 * with a stack trace. Programming errors (constraint violations, SQL syntax)
 * are left alone: they are bugs and should look like bugs.
 */
import { NewscleanError } from '../shared/errors.js';

/** SQLite primary result codes that mean "the store's file cannot be used right now", with what to tell the user. */
const FILE_FAULTS: Record<string, string> = {
  SQLITE_READONLY: 'the store is read-only (check the permissions and attributes of the file and its directory)',
  SQLITE_FULL: 'the disk under the store is full (free some space: the next run resumes where this one stopped)',
  SQLITE_IOERR: 'I/O error reading or writing the store',
  SQLITE_CANTOPEN: 'cannot open the store file (or its -wal/-shm companions)',
  SQLITE_CORRUPT: 'the store file is corrupt',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_BUSY: 'the store stayed locked by another process beyond the busy timeout',
  SQLITE_LOCKED: 'the store is locked',
  SQLITE_PROTOCOL: 'the store is locked (WAL lock protocol)',
  SQLITE_PERM: 'permission denied on the store',
  SQLITE_NOLFS: 'the store is too large for this file system',
};

/** The file-fault description for a SQLite error code (extended codes such as SQLITE_IOERR_WRITE included), or null. */
function faultOf(code: unknown): string | null {
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const primary = code.split('_').slice(0, 2).join('_');
  if (code === 'SQLITE_READONLY_DBMOVED') return 'the store file was deleted or moved while it was open';
  return FILE_FAULTS[primary] ?? null;
}

/** A SqliteError that is a file fault becomes STATE_UNAVAILABLE `<path>: <what> (<code>)`; anything else is returned as is. */
export function toStateFault(path: string, err: unknown): unknown {
  if (err instanceof NewscleanError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const what = faultOf(code);
  if (what === null) return err;
  return new NewscleanError('STATE_UNAVAILABLE', `state store ${path}: ${what} (${String(code)})`, { cause: err });
}

function guardIterator<T>(path: string, it: IterableIterator<T>): IterableIterator<T> {
  const wrapped: IterableIterator<T> = {
    next: (...args: [] | [undefined]) => {
      try {
        return it.next(...args);
      } catch (err) {
        throw toStateFault(path, err);
      }
    },
    return: (value?: unknown) => (it.return ? it.return(value) : { done: true, value: undefined }) as IteratorResult<T>,
    [Symbol.iterator]: () => wrapped,
  };
  return wrapped;
}

const isIterator = (v: unknown): v is IterableIterator<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { next?: unknown }).next === 'function' && Symbol.iterator in v;

/**
 * The same object with every method guarded: file faults thrown by a call (or
 * by iterating an iterator a call returns) become STATE_UNAVAILABLE.
 */
export function guardFaults<T extends object>(path: string, target: T): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') continue;
    out[name] = (...args: unknown[]) => {
      try {
        const result = (value as (...a: unknown[]) => unknown)(...args);
        return isIterator(result) ? guardIterator(path, result) : result;
      } catch (err) {
        throw toStateFault(path, err);
      }
    };
  }
  return out as T;
}

/** Run `fn`, turning file faults into STATE_UNAVAILABLE (for code that works on the raw handle). */
export function withFaults<R>(path: string, fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    throw toStateFault(path, err);
  }
}
