/**
 * `newsclean state stats|export|runs|prune`: look into the state store and
 * keep it tidy (src/state/admin.ts and src/state/run-recovery.ts do the work).
 * None of them creates a store: a mistyped --state is an error (exit 4).
 */
import { type Command, Option } from 'commander';
import { parseCount, parseSince } from './args.js';
import { loadConfig } from '../config/load.js';
import { NewscleanError } from '../shared/errors.js';
import { openJsonl } from '../stages/export/index.js';
import { type ExportTable, exportState, formatStats, pruneState, stateStats } from '../state/admin.js';
import { toStateFault } from '../state/faults.js';
import { clearRun, formatRunViews, listRunViews } from '../state/run-recovery.js';
import { type RunStatus, type SqliteStateStore, openState } from '../state/store.js';

interface StateOptions { state?: string; settings?: string }

const configOf = (opts: StateOptions) => loadConfig({ file: opts.settings, env: process.env, flags: opts.state ? { state: { path: opts.state } } : {} });

/**
 * The store named by --state, the settings file, NEWSCLEAN_STATE_PATH or the
 * default, in that order of precedence; it must exist. File faults met while
 * using it (admin.ts works on the raw handle) become STATE_UNAVAILABLE.
 */
async function withStore<T>(opts: StateOptions, use: (store: SqliteStateStore) => Promise<T> | T): Promise<T> {
  const path = configOf(opts).state.path;
  const store = openState(path, { mustExist: true });
  try {
    return await use(store);
  } catch (err) {
    throw toStateFault(path, err);
  } finally {
    if (store.isOpen()) store.close();
  }
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
    .option('--status <status>', 'only URLs (exported, rejected, failed, gave_up) or runs (running, done, interrupted, failed) in this status')
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

  addRunsCommand(state, setExit);

  storeOptions(state.command('prune').description('Forget old finished runs, old rejected or given-up URLs, and near-duplicate signatures beyond the window (exported URLs and texts are kept).'))
    .requiredOption('--older-than <age>', 'prune what is older than this (30d, 12w, or an ISO date)')
    .addOption(new Option('--keep-runs <n>', 'always keep this many most recent runs').argParser(parseCount))
    .option('--dry-run', 'count what would go, delete nothing')
    .option('--vacuum', 'compact the database file afterwards')
    .action(async (opts: StateOptions & { olderThan: string; keepRuns?: number; dryRun?: boolean; vacuum?: boolean }) => {
      const olderThan = parseSince(opts.olderThan, '--older-than');
      const clusterWindowDays = configOf(opts).dedupe.nearDuplicates.windowDays;
      const result = await withStore(opts, (s) =>
        pruneState(s, { olderThan, ...(opts.keepRuns !== undefined && { keepRuns: opts.keepRuns }), dryRun: opts.dryRun ?? false, vacuum: opts.vacuum ?? false, clusterWindowDays }),
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
      setExit(0);
    });
}

const RUN_STATUSES: RunStatus[] = ['running', 'done', 'interrupted', 'failed'];

/** `state runs [--status S] [--json]` and `state runs --clear RUN_ID [--force]` (docs/run-recovery.md). */
function addRunsCommand(state: Command, setExit: (code: number) => void): void {
  storeOptions(state.command('runs').description('List runs with their owner and whether it is alive; --clear RUN_ID marks a stuck run failed and releases its site locks.'))
    .addOption(new Option('--status <status>', 'only runs in this status').choices(RUN_STATUSES))
    .option('--json', 'one JSON object per run, one per line')
    .option('--clear <run-id>', 'mark this run failed (the next run of its plan starts afresh) and release its site locks')
    .option('--force', 'with --clear: even when its owner is still alive')
    .action(async (opts: StateOptions & { status?: RunStatus; json?: boolean; clear?: string; force?: boolean }) => {
      if (opts.force && opts.clear === undefined) throw new NewscleanError('USAGE', 'state runs: --force goes with --clear RUN_ID');
      if (opts.clear !== undefined) {
        const result = await withStore(opts, (s) => clearRun(s, opts.clear!, { force: opts.force ?? false }));
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return setExit(0);
      }
      const runs = await withStore(opts, (s) => listRunViews(s, opts.status ? { status: opts.status } : {}));
      process.stdout.write(opts.json ? runs.map((r) => `${JSON.stringify(r)}\n`).join('') : formatRunViews(runs));
      setExit(0);
    });
}
