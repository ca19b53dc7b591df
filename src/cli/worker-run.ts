/**
 * What `newsclean worker` does: the layered config (settings, the sources
 * file's defaults, NEWSCLEAN_*, flags), then jobs from the queue until
 * SIGTERM/SIGINT, then exit 0 once the jobs in hand are written.
 */
import { NewscleanError } from '../shared/errors.js';
import { defaultThreads } from '../crawl/clean-pool.js';
import { handleStopSignals } from '../run/shutdown.js';
import { createRunConsole } from './console.js';
import { loadFetchConfig } from './fetch-config.js';
import type { WorkerCommandOptions } from './worker.js';

const DEFAULT_CONCURRENCY = 8;

export async function runWorkerCommand(opts: WorkerCommandOptions): Promise<number> {
  const { config } = loadFetchConfig(opts, false);
  if (!config.queue.url) throw new NewscleanError('USAGE', 'worker: give the queue\'s Redis with --queue redis://HOST:PORT (or NEWSCLEAN_QUEUE_URL)');
  if (config.output.warc !== undefined) await (await import('../stages/export/index.js')).checkWarcDir(config.output.warc);
  const { log } = createRunConsole(config, { quiet: opts.quiet });
  const shutdown = handleStopSignals({ graceMs: config.run.graceMs, log });
  try {
    const { runWorker } = await import('../queue/worker.js');
    const { jobs } = await runWorker({
      queueUrl: config.queue.url, config, outputDir: config.output.dir, concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      threads: opts.threads ?? defaultThreads(), log, signal: shutdown.signal,
    });
    process.stderr.write(`newsclean worker: ${jobs} page jobs done; stopped by ${shutdown.received() ?? 'request'}\n`);
    return 0;
  } finally {
    shutdown.dispose();
  }
}
