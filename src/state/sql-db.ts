/**
 * The few things the store modules (store-*.ts, site-locks.ts) ask of a SQL
 * database: better-sqlite3's own shape, so the SQLite store passes its handle
 * as it is, and the PostgreSQL store (postgres/connection.ts) implements the
 * same shape over node-postgres. The store modules write SQL both accept:
 * `?` or `@name` parameters, `INSERT … ON CONFLICT`, `excluded.column`.
 */

export interface SqlStatement<P extends unknown[] = unknown[], R = unknown> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
  /** `changes`: rows inserted, updated or deleted. */
  run(...params: P): { changes: number };
}

/** A function run in one transaction: all of its writes or none. */
export type Transaction<A extends unknown[], T> = ((...args: A) => T) & {
  /** The same, holding the database's write lock from the start, so a check and the write after it cannot interleave with another process's. */
  immediate(...args: A): T;
};

export interface SqlDb {
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R>;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): Transaction<A, T>;
  exec(sql: string): unknown;
  readonly open: boolean;
  close(): unknown;
}
