/**
 * The SqlDb shape (../sql-db.ts) over the synchronous PostgreSQL client, so
 * the store modules run unchanged: `?` and `@name` parameters become `$n`,
 * transactions nest with savepoints (as better-sqlite3's do), a
 * transaction's writes travel with its next read or its COMMIT (one round
 * trip), and an "immediate" transaction first takes one advisory lock that
 * every newsclean writer shares, as SQLite's write lock serialises writers.
 */
import type { SqlDb, SqlStatement, Transaction } from '../sql-db.js';
import type { SyncPostgres } from './bridge.js';

/** Any fixed number: the advisory lock newsclean's immediate transactions (and migrations) take. */
export const WRITE_LOCK_KEY = 0x6e_63_6c_6e; // "ncln"

interface Translated { text: string; names: string[] | null }

/** `?` → `$1, $2…` in order; `@name` → one `$n` per distinct name. Quoted strings are left alone. */
export function translate(sql: string): Translated {
  const names: string[] = [];
  let positional = 0;
  const text = sql.replace(/'(?:[^']|'')*'|\?|@([A-Za-z_]\w*)/g, (m: string, name?: string) => {
    if (m.startsWith("'")) return m;
    if (name === undefined) return `$${++positional}`;
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, names: names.length > 0 ? names : null };
}

/** bytea comes back across the thread as a Uint8Array: make it the Buffer SQLite gives. */
function asRow<R>(row: Record<string, unknown>): R {
  for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return row as R;
}

/** A write held back until the transaction next reads or ends; its row count once sent. */
interface Held { text: string; values: unknown[]; rowCount: number | null }

export function postgresDb(pg: SyncPostgres): SqlDb {
  let depth = 0;
  // The outermost transaction's writes, sent together with its next read or its COMMIT: one round trip
  // instead of one per statement (a run's bookkeeping is a few writes per page). `begun`: BEGIN was sent.
  let held: Held[] = [];
  let begun = false;

  /** Send what is held (BEGIN first if not yet), then `extra` and `end`, in one call; returns `extra`'s result. */
  function flush(extra: Held | null, end: 'commit' | 'rollback' | null) {
    const batch = extra ? [...held, extra] : held;
    held = [];
    if (batch.length === 0 && !begun && end !== null) return null; // an empty transaction: nothing to send
    const wasBegun = begun;
    begun = end === null;
    try {
      const reply = pg.call({ op: 'batch', begin: !wasBegun, queries: batch.map(({ text, values }) => ({ text, values })), end });
      reply.results!.forEach((r, i) => (batch[i]!.rowCount = r.rowCount));
      return extra ? reply.results!.at(-1)! : null;
    } catch (err) {
      begun = false; // the bridge rolled it back
      throw err;
    }
  }

  const query = (text: string, values: unknown[] = []) => (depth > 0 ? flush({ text, values, rowCount: null }, null)! : pg.call({ op: 'query', text, values }));

  function prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R> {
    const { text, names } = translate(sql);
    const values = (params: unknown[]): unknown[] => {
      if (names === null) return params.map((v) => v ?? null);
      const bag = (params[0] ?? {}) as Record<string, unknown>;
      return names.map((n) => bag[n] ?? null);
    };
    const rows = (params: unknown[]): R[] => query(text, values(params)).rows.map((r) => asRow<R>(r));
    return {
      get: (...params) => rows(params)[0],
      all: (...params) => rows(params),
      iterate: (...params) => rows(params)[Symbol.iterator](),
      run(...params) {
        if (depth === 0) return { changes: pg.call({ op: 'query', text, values: values(params) }).rowCount };
        const write: Held = { text, values: values(params), rowCount: null };
        held.push(write);
        // Read only by the few callers that need it (failRun): the write is sent then.
        return { get changes() { if (write.rowCount === null) flush(null, null); return write.rowCount ?? 0; } };
      },
    };
  }

  function inTransaction<A extends unknown[], T>(fn: (...args: A) => T, args: A, immediate: boolean): T {
    const savepoint = depth > 0 ? `sp${depth}` : null;
    if (savepoint) held.push({ text: `SAVEPOINT ${savepoint}`, values: [], rowCount: null });
    depth++;
    try {
      if (immediate) held.push({ text: 'SELECT pg_advisory_xact_lock($1)', values: [WRITE_LOCK_KEY], rowCount: null });
      const result = fn(...args);
      if (savepoint) held.push({ text: `RELEASE SAVEPOINT ${savepoint}`, values: [], rowCount: null });
      else flush(null, 'commit');
      return result;
    } catch (err) {
      try {
        if (savepoint) held.push({ text: `ROLLBACK TO SAVEPOINT ${savepoint}`, values: [], rowCount: null });
        else if (begun) flush(null, 'rollback');
        else held = []; // nothing was sent: nothing to undo
      } catch {
        // the connection is gone: the server has rolled back already
      }
      throw err;
    } finally {
      depth--;
    }
  }

  return {
    prepare,
    transaction<A extends unknown[], T>(fn: (...args: A) => T): Transaction<A, T> {
      const tx = ((...args: A) => inTransaction(fn, args, false)) as Transaction<A, T>;
      tx.immediate = (...args: A) => inTransaction(fn, args, true);
      return tx;
    },
    exec: (sql) => query(sql),
    get open() {
      return !pg.closed;
    },
    close: () => pg.close(),
  };
}
