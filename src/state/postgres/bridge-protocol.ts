/**
 * The messages between the synchronous PostgreSQL client (bridge.ts, on the
 * calling thread) and the worker thread that holds the node-postgres pool
 * (bridge-worker.ts).
 */

export interface BatchQuery { text: string; values: unknown[] }

export type BridgeRequest =
  | { id: number; op: 'query'; text: string; values: unknown[] }
  /** Statements of one transaction in one round trip: BEGIN first if `begin`, then each in order, then COMMIT or ROLLBACK if `end`. */
  | { id: number; op: 'batch'; begin: boolean; queries: BatchQuery[]; end: 'commit' | 'rollback' | null }
  | { id: number; op: 'begin' | 'commit' | 'rollback' | 'close' };

export interface BridgeError { message: string; code?: string; fault: string | null }

export type BridgeReply =
  | { id: number; ok: true; rows: Record<string, unknown>[]; rowCount: number; results?: Array<{ rows: Record<string, unknown>[]; rowCount: number }> }
  | { id: number; ok: false; error: BridgeError };

export interface BridgeWorkerData {
  url: string;
  /** Int32Array over a SharedArrayBuffer: the worker sets [0] to 1 and notifies when a reply is posted. */
  flag: SharedArrayBuffer;
  poolSize: number;
  connectTimeoutMs: number;
}
