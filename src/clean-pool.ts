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
import type { Config } from './config/schema.js';
import type { Logger } from './log.js';
import type { Outcome } from './pipeline.js';
import type { RawPage } from './types.js';
import type { CleanTask } from './workers/clean-worker.js';

export interface CleanPool {
  process(page: RawPage, opts: { collectLinks: boolean; now: Date }): Promise<Outcome>;
  threads: number;
  close(): Promise<void>;
}

/** The compiled worker: beside this module in dist/, or dist/ itself when running from src/ (tests). */
function workerFile(): string {
  const sibling = fileURLToPath(new URL('./workers/clean-worker.js', import.meta.url));
  return existsSync(sibling) ? sibling : fileURLToPath(new URL('../dist/workers/clean-worker.js', import.meta.url));
}

/** Enough for the rule tables, the language model and the largest page (fetch.maxBytes) in flight. */
const WORKER_OLD_GENERATION_MB = 128;

/** Default thread count: one per core; 0 means clean in the main thread. */
export const defaultThreads = (): number => availableParallelism();

export function createCleanPool(config: Config, threads: number, log: Logger): CleanPool {
  if (threads <= 0) {
    // Loaded on first use: with worker threads the main thread never needs the pipeline.
    const inline = import('./pipeline.js').then(({ createContext, processPage }) => ({ ctx: createContext(config, log), processPage }));
    return {
      threads: 0,
      process: async (page, opts) => {
        const { ctx, processPage } = await inline;
        return processPage(page, ctx, opts);
      },
      close: async () => {},
    };
  }
  // A bounded old generation makes each worker collect garbage early instead
  // of growing its heap: RSS stays flat however many pages a run cleans.
  const pool = new Piscina({
    filename: workerFile(),
    workerData: { config },
    minThreads: threads,
    maxThreads: threads,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
  });
  return {
    threads,
    async process(page, opts) {
      // Copy into a buffer of its own so transferring it cannot detach a pooled allocation.
      const bytes = new Uint8Array(page.bytes);
      const task: CleanTask = { source: page.source, url: page.url, bytes, contentType: page.contentType ?? null, collectLinks: opts.collectLinks, now: opts.now.getTime() };
      return (await pool.run(task, { transferList: [bytes.buffer] })) as Outcome;
    },
    close: () => pool.destroy(),
  };
}
