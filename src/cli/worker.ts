/**
 * `newsclean worker` on the command line: its options. What it does is in
 * worker-run.ts (and src/queue/worker.ts), imported only when it runs.
 */
import { type Command, Option } from 'commander';
import { asFlag, parseCount } from './args.js';
import { type FetchCommandOptions, withRunOptions } from './run-options.js';

export interface WorkerCommandOptions extends FetchCommandOptions {
  concurrency?: number;
}

export function addWorkerCommand(program: Command, setExit: (code: number) => void): void {
  withRunOptions(
    program
      .command('worker')
      .description('Take page jobs of queued crawls (crawl --queue) until SIGTERM: fetch, clean and export them into this worker\'s part files.')
      .addOption(new Option('--concurrency <n>', 'page jobs in hand at once (default 8)').argParser(asFlag(parseCount)))
      .option('-c, --config <file>', 'sources file whose defaults (user agent, limits) apply; default config/sources.yaml when it exists'),
  ).action(async (opts: WorkerCommandOptions) => setExit(await (await import('./worker-run.js')).runWorkerCommand(opts)));
}
