/**
 * extract --threads N (N > 1): pages are cleaned on N worker threads (the
 * crawl's clean pool, src/crawl/clean-pool.ts) while the main thread walks,
 * reads and writes. Outcomes come back in INPUT order, whatever order the
 * threads finish in, so the output is the same bytes as with one thread
 * (extracted_at aside). Loaded only when --threads asks for more than one.
 */
import type { Config } from '../config/schema.js';
import { createCleanPool } from '../crawl/clean-pool.js';
import { NewscleanError } from '../shared/errors.js';
import { type Logger, silentLogger } from '../shared/log.js';
import type { PageOutcome } from '../stages/pipeline.js';
import { type InputOptions, readHtmlInputs } from '../stages/read-inputs.js';

/** Pages handed to the pool ahead of the one being written: two per thread (one cleaning, one waiting in its port). */
const PER_THREAD = 2;

/**
 * Each worker's nursery, larger than the crawl's 16 MB (which keeps
 * long-running workers small): a page's garbage dies young in fewer
 * collections. With 2 threads over extraction-dev, 64 MB took 0.90x the CPU
 * of 16 MB, for about 120 MB more peak memory; a run of extract is short.
 */
const YOUNG_GENERATION_MB = 64;

export interface ThreadedExtract {
  outcomes: (log: Logger) => AsyncGenerator<PageOutcome>;
  close: () => Promise<void>;
}

/**
 * Start the pool and wait until a worker has loaded the rule files, so that a
 * broken rule file fails the command (CONFIG_INVALID, exit 3) before any
 * output is opened, as it does in one thread. A worker's error crosses the
 * thread as a plain Error: its message is kept, its code is not.
 */
export async function startThreadedExtract(paths: string[], config: Config, threads: number, inputs: InputOptions): Promise<ThreadedExtract> {
  const pool = createCleanPool(config, threads, silentLogger, { youngGenerationMb: YOUNG_GENERATION_MB });
  try {
    await pool.process({ source: '(start-up probe)', url: null, bytes: Buffer.alloc(0) }, { collectLinks: false, now: new Date() });
  } catch (err) {
    await pool.close();
    throw new NewscleanError('CONFIG_INVALID', err instanceof Error ? err.message : String(err), { cause: err });
  }
  async function* outcomes(log: Logger): AsyncGenerator<PageOutcome> {
    const pending: Promise<PageOutcome>[] = [];
    for await (const read of readHtmlInputs(paths, { config, log }, inputs)) {
      const next = 'outcome' in read ? Promise.resolve<PageOutcome>(read.outcome) : pool.process(read.raw, { collectLinks: false, now: new Date() });
      next.catch(() => {}); // a failure surfaces when its turn comes, not as an unhandled rejection
      pending.push(next);
      if (pending.length >= threads * PER_THREAD) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  }
  return { outcomes, close: () => pool.close() };
}
