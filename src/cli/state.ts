/**
 * `newsclean state stats|export|runs|prune` on the command line: their
 * options. What they do is in state-run.ts, imported only when one of them
 * runs. None of them creates a store: a mistyped --state is an error (exit 4).
 */
import { type Command, Option } from 'commander';
import { parseCount } from './args.js';
import type { ExportOptions, PruneOptions, RunsOptions, StateOptions } from './state-run.js';

const run = () => import('./state-run.js');

const storeOptions = (cmd: Command): Command =>
  cmd.option('--state <path|url>', 'the state store: a SQLite file (default output/state.db) or a postgres:// URL').option('--settings <file>', 'JSON settings file (for state.path)');

/** The run statuses a store records (state/state-store.ts RunStatus). */
const RUN_STATUSES = ['running', 'done', 'interrupted', 'failed'];

export function addStateCommands(program: Command, setExit: (code: number) => void): void {
  const state = program.command('state').description('Inspect and tidy the state store of crawl, scrape and recrawl.');

  storeOptions(state.command('stats').description('Counts by status, site and reject code; failures due for retry; recent runs.'))
    .option('--json', 'print the figures as one JSON object')
    .action(async (opts: StateOptions & { json?: boolean }) => setExit(await (await run()).showStats(opts)));

  storeOptions(state.command('export').description('Write the rows of one table as JSON lines.'))
    .addOption(new Option('--table <name>', 'table to export').choices(['urls', 'runs', 'clusters', 'contents']).default('urls'))
    .option('--site <name>', 'only URLs of this site')
    .option('--status <status>', 'only URLs (exported, rejected, failed, gave_up) or runs (running, done, interrupted, failed) in this status')
    .option('-o, --output <file>', 'write here ("-" for stdout)', '-')
    .action(async (opts: ExportOptions) => setExit(await (await run()).exportTable(opts)));

  // `state runs [--status S] [--json]` and `state runs --clear RUN_ID [--force]` (docs/run-recovery.md).
  storeOptions(state.command('runs').description('List runs with their owner and whether it is alive; --clear RUN_ID marks a stuck run failed and releases its site locks.'))
    .addOption(new Option('--status <status>', 'only runs in this status').choices(RUN_STATUSES))
    .option('--json', 'one JSON object per run, one per line')
    .option('--clear <run-id>', 'mark this run failed (the next run of its plan starts afresh) and release its site locks')
    .option('--force', 'with --clear: even when its owner is still alive')
    .action(async (opts: RunsOptions) => setExit(await (await run()).listOrClearRuns(opts)));

  storeOptions(state.command('prune').description('Forget old finished runs, old rejected or given-up URLs, and near-duplicate signatures beyond the window (exported URLs and texts are kept).'))
    .requiredOption('--older-than <age>', 'prune what is older than this (30d, 12w, or an ISO date)')
    .addOption(new Option('--keep-runs <n>', 'always keep this many most recent runs').argParser(parseCount))
    .option('--dry-run', 'count what would go, delete nothing')
    .option('--vacuum', 'compact the database file afterwards')
    .action(async (opts: PruneOptions) => setExit(await (await run()).prune(opts)));
}
