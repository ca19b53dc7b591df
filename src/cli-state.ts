/**
 * `newsclean state stats|export|prune`: look into the state store and keep it
 * tidy (src/state/admin.ts does the work).
 */
import { type Command, Option } from 'commander';
import { parseCount, parseSince } from './cli-args.js';
import { loadConfig } from './config/load.js';
import { openJsonl } from './stages/export/jsonl-writer.js';
import { type ExportTable, exportState, formatStats, pruneState, stateStats } from './state/admin.js';
import { type StateStore, openState } from './state/store.js';

interface StateOptions { state?: string; settings?: string }

/** The store named by --state, the settings file, NEWSCLEAN_STATE_PATH or the default, in that order of precedence. */
function withStore<T>(opts: StateOptions, use: (store: StateStore) => Promise<T> | T): Promise<T> {
  const config = loadConfig({ file: opts.settings, env: process.env, flags: opts.state ? { state: { path: opts.state } } : {} });
  const store = openState(config.state.path);
  return Promise.resolve(use(store)).finally(() => store.close());
}

const storeOptions = (cmd: Command): Command =>
  cmd.option('--state <path>', 'the SQLite state store (default output/state.db)').option('--settings <file>', 'JSON settings file (for state.path)');

export function addStateCommands(program: Command, setExit: (code: number) => void): void {
  const state = program.command('state').description('Inspect and tidy the state store of crawl, scrape and recrawl.');

  storeOptions(state.command('stats').description('Counts by status, site and reject code; failures due for retry; recent runs.'))
    .option('--json', 'print the figures as one JSON object')
    .action(async (opts: StateOptions & { json?: boolean }) => {
      const stats = await withStore(opts, (s) => stateStats(s));
      process.stdout.write(opts.json ? `${JSON.stringify(stats)}\n` : `${formatStats(stats)}\n`);
      setExit(0);
    });

  storeOptions(state.command('export').description('Write the rows of one table as JSON lines.'))
    .addOption(new Option('--table <name>', 'table to export').choices(['urls', 'runs', 'clusters', 'contents']).default('urls'))
    .option('--site <name>', 'only URLs of this site')
    .option('--status <status>', 'only URLs (exported, rejected, failed, gave_up) or runs (running, done, interrupted) in this status')
    .option('-o, --output <file>', 'write here ("-" for stdout)', '-')
    .action(async (opts: StateOptions & { table: ExportTable; site?: string; status?: string; output: string }) => {
      const rows = await withStore(opts, async (s) => {
        const out = openJsonl(opts.output);
        let n = 0;
        try {
          for (const row of exportState(s, { table: opts.table, ...(opts.site && { site: opts.site }), ...(opts.status && { status: opts.status }) })) {
            await out.write(row);
            n++;
          }
        } finally {
          await out.close();
        }
        return n;
      });
      process.stderr.write(`newsclean state export: ${rows} ${opts.table} rows\n`);
      setExit(0);
    });

  storeOptions(state.command('prune').description('Forget old finished runs and old rejected or given-up URLs (exported URLs and texts are kept).'))
    .requiredOption('--older-than <age>', 'prune what is older than this (30d, 12w, or an ISO date)')
    .addOption(new Option('--keep-runs <n>', 'always keep this many most recent runs').argParser(parseCount))
    .option('--dry-run', 'count what would go, delete nothing')
    .option('--vacuum', 'compact the database file afterwards')
    .action(async (opts: StateOptions & { olderThan: string; keepRuns?: number; dryRun?: boolean; vacuum?: boolean }) => {
      const olderThan = parseSince(opts.olderThan, '--older-than');
      const result = await withStore(opts, (s) =>
        pruneState(s, { olderThan, ...(opts.keepRuns !== undefined && { keepRuns: opts.keepRuns }), dryRun: opts.dryRun ?? false, vacuum: opts.vacuum ?? false }),
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
      setExit(0);
    });
}
