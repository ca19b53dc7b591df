/**
 * The worker thread behind bridge.ts: holds a node-postgres pool, answers one
 * request at a time (the calling thread waits for each), and keeps one client
 * checked out from BEGIN to COMMIT/ROLLBACK so a transaction's statements run
 * on one connection.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { BridgeReply, BridgeRequest, BridgeWorkerData } from './bridge-protocol.js';
import { pgFaultOf } from './faults.js';

const data = workerData as BridgeWorkerData & { port: MessagePort };
const flag = new Int32Array(data.flag);

/** BIGINT (ms since epoch, counts) and NUMERIC (sums) as JavaScript numbers, as SQLite returns them. */
const NUMBER_OIDS = new Set([20, 1700]);
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    NUMBER_OIDS.has(oid) ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const pool = new pg.Pool({ connectionString: data.url, max: data.poolSize, connectionTimeoutMillis: data.connectTimeoutMs, types });
// An idle client that loses its connection must not kill the thread: the next query gets a new one.
pool.on('error', () => undefined);
let tx: pg.PoolClient | null = null;

const asParam = (v: unknown): unknown => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

type Answer = { rows: Record<string, unknown>[]; rowCount: number; results?: Array<{ rows: Record<string, unknown>[]; rowCount: number }> };

/** One transaction's statements in one go; a failure rolls the transaction back and frees its connection before it is reported. */
async function batch(req: Extract<BridgeRequest, { op: 'batch' }>): Promise<Answer> {
  if (req.begin) await answer({ id: req.id, op: 'begin' });
  const results: NonNullable<Answer['results']> = [];
  try {
    for (const q of req.queries) {
      const r = await tx!.query({ text: q.text, values: q.values.map(asParam) });
      results.push({ rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? 0 });
    }
  } catch (err) {
    await answer({ id: req.id, op: 'rollback' }).catch(() => undefined);
    throw err;
  }
  if (req.end) await answer({ id: req.id, op: req.end });
  return { rows: [], rowCount: 0, results };
}

async function answer(req: BridgeRequest): Promise<Answer> {
  switch (req.op) {
    case 'batch':
      return batch(req);
    case 'query': {
      const r = await (tx ?? pool).query({ text: req.text, values: req.values.map(asParam) });
      return { rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? 0 };
    }
    case 'begin': {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      tx = client;
      break;
    }
    case 'commit':
    case 'rollback': {
      const client = tx;
      tx = null;
      try {
        await client?.query(req.op === 'commit' ? 'COMMIT' : 'ROLLBACK');
        client?.release();
      } catch (err) {
        client?.release(err as Error); // a broken connection leaves the pool
        throw err;
      }
      break;
    }
    case 'close':
      await pool.end();
      break;
  }
  return { rows: [], rowCount: 0 };
}

data.port.on('message', (req: BridgeRequest) => {
  void answer(req).then(
    (r): BridgeReply => ({ id: req.id, ok: true, ...r }),
    (err: { message?: string; code?: string }): BridgeReply => ({
      id: req.id, ok: false, error: { message: String(err?.message ?? err), code: err?.code, fault: pgFaultOf(err ?? {}) },
    }),
  ).then((reply) => {
    data.port.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
