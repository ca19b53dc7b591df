/**
 * What `newsclean state stats|export|runs|prune` do (their options: state.ts):
 * look into the state store and keep it tidy (src/state/admin.ts and
 * src/state/run-recovery.ts do the work). Each returns the exit status.
 */
import { parseSince, stateFlag } from './args.js';
import { loadConfig } from '../config/load.js';
import { NewscleanError } from '../shared/errors.js';
import { openJsonl } from '../stages/export/index.js';
import { type ExportTable, exportState, formatStats, pruneState, stateStats } from '../state/admin.js';
import { toStateFault } from '../state/faults.js';
import { clearRun, formatRunViews, listRunViews } from '../state/run-recovery.js';
import type { AdminStore } from '../state/admin-common.js';
import { openStore, storeLocation } from '../state/open.js';
import type { RunStatus } from '../state/store.js';

export interface StateOptions { state?: string; settings?: string }
export type ExportOptions = StateOptions & { table: ExportTable; site?: string; status?: string; output: string };
export type RunsOptions = StateOptions & { status?: RunStatus; json?: boolean; clear?: string; force?: boolean };
export type PruneOptions = StateOptions & { olderThan: string; keepRuns?: number; dryRun?: boolean; vacuum?: boolean };

const configOf = (opts: StateOptions) => loadConfig({ file: opts.settings, env: process.env, flags: opts.state ? { state: stateFlag(opts.state) } : {} });

/**
 * The store named by --state, the settings file, NEWSCLEAN_STATE_PATH or the
 * default, in that order of precedence; it must exist. File faults met while
 * using it (admin.ts works on the raw handle) become STATE_UNAVAILABLE.
 */
async function withStore<T>(opts: StateOptions, use: (store: AdminStore) => Promise<T> | T): Promise<T> {
  const path = storeLocation(configOf(opts).state);
  const store = openStore(path, { mustExist: true });
  try {
    return await use(store);
  } catch (err) {
    throw toStateFault(path, err);
  } finally {
    if (store.isOpen()) store.close();
  }
}

export async function showStats(opts: StateOptions & { json?: boolean }): Promise<number> {
  const stats = await withStore(opts, (s) => stateStats(s));
  process.stdout.write(opts.json ? `${JSON.stringify(stats)}\n` : `${formatStats(stats)}\n`);
  return 0;
}

export async function exportTable(opts: ExportOptions): Promise<number> {
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
  return 0;
}

export async function listOrClearRuns(opts: RunsOptions): Promise<number> {
  if (opts.force && opts.clear === undefined) throw new NewscleanError('USAGE', 'state runs: --force goes with --clear RUN_ID');
  if (opts.clear !== undefined) {
    const result = await withStore(opts, (s) => clearRun(s, opts.clear!, { force: opts.force ?? false }));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const runs = await withStore(opts, (s) => listRunViews(s, opts.status ? { status: opts.status } : {}));
  process.stdout.write(opts.json ? runs.map((r) => `${JSON.stringify(r)}\n`).join('') : formatRunViews(runs));
  return 0;
}

export async function prune(opts: PruneOptions): Promise<number> {
  const olderThan = parseSince(opts.olderThan, '--older-than');
  const clusterWindowDays = configOf(opts).dedupe.nearDuplicates.windowDays;
  const result = await withStore(opts, (s) =>
    pruneState(s, { olderThan, ...(opts.keepRuns !== undefined && { keepRuns: opts.keepRuns }), dryRun: opts.dryRun ?? false, vacuum: opts.vacuum ?? false, clusterWindowDays }),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
