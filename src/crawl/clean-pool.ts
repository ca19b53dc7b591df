/**
 * The clean stage is CPU-bound, so a crawl runs it on worker threads (piscina)
 * and keeps the main thread for I/O. Records come back by structured clone:
 * their strings are fresh copies, so nothing the main thread keeps can pin a
 * page's full HTML in memory (V8 sliced strings).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Config } from '../config/schema.js';
import type { Logger } from '../shared/log.js';
import type { PageOutcome } from '../stages/pipeline.js';
import type { RawPage } from '../shared/types.js';
import type { CleanTask } from './workers/clean-worker.js';
import { WORKER_READY } from './workers/messages.js';

export interface CleanPool {
  /** With worker threads, `page.bytes` is handed over (transferred) and must not be used afterwards. */
  process(page: RawPage, opts: { collectLinks: boolean; now: Date }): Promise<PageOutcome>;
  threads: number;
  /**
   * Settles once every worker has loaded its modules, rule files and language
   * model (inline: once the pipeline is loaded). Work can be queued before;
   * benchmarks wait for it so start-up is timed apart from throughput.
   */
  ready: Promise<void>;
  /** Whether worker threads were started (on the first page, or by reading `ready`). */
  readonly started: boolean;
  close(): Promise<void>;
}

/** The compiled worker: beside this module in dist/, or dist/ itself when running from src/ (tests). */
function workerFile(): string {
  const sibling = fileURLToPath(new URL('./workers/clean-worker.js', import.meta.url));
  return existsSync(sibling) ? sibling : fileURLToPath(new URL('../../dist/crawl/workers/clean-worker.js', import.meta.url));
}

/** Enough for the rule tables, the language model and the largest page (fetch.maxBytes) in flight. */
const WORKER_OLD_GENERATION_MB = 128;
/**
 * Half V8's default nursery: a page's garbage still dies young, and each
 * worker's resident size drops by ~15 MB at no measured cost in throughput
 * (bench:crawl, docs/benchmarks.md).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * The page bytes as a view that can be transferred to a worker without a
 * copy: a fetched body owns its ArrayBuffer, but a small or pooled Buffer
 * shares one with other data and is copied, so the transfer detaches nothing else.
 */
function transferable(bytes: Buffer): Uint8Array<ArrayBuffer> {
  const ab = bytes.buffer;
  if (ab instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === ab.byteLength) return new Uint8Array(ab);
  return new Uint8Array(bytes);
}

/** Default thread count: one per core; 0 means clean in the main thread. */
export const defaultThreads = (): number => availableParallelism();

/**
 * `youngGenerationMb`: each worker's nursery, WORKER_YOUNG_GENERATION_MB
 * unless given (extract --threads trades memory for fewer collections).
 */
export function createCleanPool(config: Config, threads: number, log: Logger, opts: { youngGenerationMb?: number } = {}): CleanPool {
  if (threads <= 0) {
    // Loaded on first use: with worker threads the main thread never needs the pipeline.
    const inline = import('../stages/pipeline.js').then(({ createContext, processPage }) => ({ ctx: createContext(config, log), processPage }));
    return {
      threads: 0,
      started: false,
      ready: inline.then(() => undefined, () => undefined), // a load failure surfaces in `process`
      process: async (page, opts) => {
        const { ctx, processPage } = await inline;
        return processPage(page, ctx, opts);
      },
      close: async () => {},
    };
  }
  // Started on first use: a run whose pages were all known or deferred never
  // pays for (or tears down) workers that are still loading.
  let started: { pool: Piscina; ready: Promise<void> } | null = null;
  const start = (): { pool: Piscina; ready: Promise<void> } => {
    if (started) return started;
    // Bounded heaps make each worker collect garbage early instead of growing:
    // RSS stays flat however many pages a run cleans.
    const pool = new Piscina({
      filename: workerFile(),
      workerData: { config },
      minThreads: threads,
      maxThreads: threads,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB, maxYoungGenerationSizeMb: opts.youngGenerationMb ?? WORKER_YOUNG_GENERATION_MB },
      // A second task waits in each worker's port, so a worker never idles
      // while the busy main thread gets round to handing it the next page.
      concurrentTasksPerWorker: 2,
    });
    return (started = { pool, ready: allWorkersReady(pool, threads) });
  };
  return {
    threads,
    get ready() {
      return start().ready;
    },
    get started() {
      return started !== null;
    },
    async process(page, opts) {
      const { pool } = start();
      const bytes = transferable(page.bytes);
      const task: CleanTask = { source: page.source, url: page.url, bytes, contentType: page.contentType ?? null, ...(page.listed && { listed: page.listed }), ...(page.fetchedAt && { fetchedAt: page.fetchedAt }), collectLinks: opts.collectLinks, now: opts.now.getTime() };
      try {
        return (await pool.run(task, { transferList: [bytes.buffer] })) as PageOutcome;
      } catch (err) {
        // The page's tree outgrew the worker's bounded heap (piscina starts a
        // fresh worker): a fault of the page, not a bug, so not EXTRACT_FAILED.
        if ((err as { code?: unknown } | null)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
        const message = `the clean worker ran out of memory on this page (heap limit ${WORKER_OLD_GENERATION_MB} MB)`;
        return { ok: false, reject: { source: page.source, code: 'TOO_COMPLEX', message } };
      }
    },
    async close() {
      if (!started) return;
      // Never terminate a worker in the middle of loading its modules: piscina
      // require()s the ES module worker, and a thread terminated inside that
      // synchronous load aborts the whole process (V8: "IsGraphAsync must be
      // used on an instantiated module", exit 134).
      await started.ready;
      await started.pool.destroy();
    },
  };
}

/** Resolves when `threads` workers have said WORKER_READY; also on a pool error (the failure surfaces in `process`). */
function allWorkersReady(pool: Piscina, threads: number): Promise<void> {
  return new Promise((resolve) => {
    let ready = 0;
    const done = (): void => {
      pool.off('message', onMessage);
      pool.off('error', done);
      resolve();
    };
    const onMessage = (message: unknown): void => {
      if (message === WORKER_READY && ++ready === threads) done();
    };
    pool.on('message', onMessage);
    pool.on('error', done);
  });
}
