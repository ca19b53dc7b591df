/**
 * A synchronous PostgreSQL client: the state store's contract is synchronous
 * (../state-store.ts: each call has taken effect when it returns), and
 * node-postgres is asynchronous. The pool lives in a worker thread
 * (bridge-worker.ts); a call posts its request and blocks on Atomics.wait
 * until the worker has the reply, the technique of synckit and of Node's own
 * ESM loader hooks. A call costs one round trip to the server plus ~50 µs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { NewscleanError } from '../../shared/errors.js';
import type { BridgeReply, BridgeRequest, BridgeWorkerData } from './bridge-protocol.js';

export interface BridgeOptions {
  /** Connections in the pool (a transaction holds one). */
  poolSize?: number;
  /** How long to wait for a connection before the server counts as unreachable. */
  connectTimeoutMs?: number;
  /** How long one call may take before the store counts as unavailable. */
  callTimeoutMs?: number;
}

type Request = BridgeRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The compiled worker: beside this module in dist/, or dist/ itself when running from src/ (tests). */
function workerFile(): string {
  const sibling = fileURLToPath(new URL('./bridge-worker.js', import.meta.url));
  return existsSync(sibling) ? sibling : fileURLToPath(new URL('../../../dist/state/postgres/bridge-worker.js', import.meta.url));
}

export class SyncPostgres {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly callTimeoutMs: number;
  private nextId = 1;
  private broken: string | null = null;
  closed = false;

  /** `name`: the store as shown in messages (its URL without the password). */
  constructor(url: string, private readonly name: string, opts: BridgeOptions = {}) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.callTimeoutMs = opts.callTimeoutMs ?? 60_000;
    const workerData: BridgeWorkerData & { port: MessagePort } = {
      url, flag: this.flag.buffer as SharedArrayBuffer, poolSize: opts.poolSize ?? 2, connectTimeoutMs: opts.connectTimeoutMs ?? 5000, port: port2,
    };
    this.worker = new Worker(workerFile(), { workerData, transferList: [port2] });
    this.worker.unref(); // an open store does not keep the process alive
  }

  /** Send one request and wait for its reply; a fault of the server is STATE_UNAVAILABLE naming the store. */
  call(req: Request): Omit<Extract<BridgeReply, { ok: true }>, 'id' | 'ok'> {
    if (this.broken) throw new NewscleanError('STATE_UNAVAILABLE', `state store ${this.name}: ${this.broken}`);
    if (this.closed) throw new Error(`state store ${this.name} is closed`);
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...req, id });
    const deadline = Date.now() + this.callTimeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === 'timed-out') {
        this.broken = `no answer within ${Math.round(this.callTimeoutMs / 1000)} s`;
        throw new NewscleanError('STATE_UNAVAILABLE', `state store ${this.name}: ${this.broken}`);
      }
      const got = receiveMessageOnPort(this.port)?.message as BridgeReply | undefined;
      if (got?.id !== id) {
        Atomics.store(this.flag, 0, 0); // woken without our reply: wait again
        continue;
      }
      if (got.ok) return got;
      const { message, code, fault } = got.error;
      if (fault !== null) throw new NewscleanError('STATE_UNAVAILABLE', `state store ${this.name}: ${fault}`);
      throw Object.assign(new Error(message), { code });
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      if (!this.broken) this.call({ op: 'close' });
    } finally {
      this.closed = true;
      void this.worker.terminate();
    }
  }
}
