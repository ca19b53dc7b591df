/**
 * `newsclean state prune`: drop what no later run needs from the store,
 * then give the space back (AdminAccess.reclaim: WAL checkpoint, VACUUM when asked).
 */
import { NewscleanError } from '../shared/errors.js';
import { type AdminStore, iso } from './admin-common.js';

export interface PruneOptions {
  /** Runs, and rejected or given-up URLs, last touched before this are deleted. */
  olderThan: Date;
  /** Finished runs always kept, the most recently started (default 20). */
  keepRuns?: number;
  /** ms since epoch (default Date.now()); olderThan may not be later than this. */
  now?: number;
  /** Count what would go, delete nothing. */
  dryRun?: boolean;
  /** VACUUM afterwards to give the freed pages back to the file system (rewrites the whole file). */
  vacuum?: boolean;
  /**
   * Near-duplicate signatures added longer ago than this many days are deleted
   * (dedupe.nearDuplicates.windowDays: no run compares against them any more).
   * Undefined keeps them all.
   */
  clusterWindowDays?: number;
}

export interface PruneResult {
  dryRun: boolean;
  /** Frontier rows of runs that are not running (finished, interrupted, or deleted). */
  frontierRows: number;
  runs: number;
  /** URL rows deleted, by status. */
  urls: { rejected: number; gave_up: number };
  /** Cluster rows (near-duplicate signatures) older than the window. */
  clusters: number;
  /** WAL checkpointed and truncated (not in a dry run). */
  checkpointed: boolean;
  vacuumed: boolean;
  /** page_count × page_size before and after (0 for ':memory:'). */
  bytesBefore: number;
  bytesAfter: number;
}

class DryRunRollback extends Error {}

/**
 * `newsclean state prune`: drop what no later run needs. Never touches
 * exported or failed (still to retry) URLs, contents, clusters inside the
 * near-duplicate window, nor a run that is still running and its frontier.
 */
export function pruneState(store: AdminStore, opts: PruneOptions): PruneResult {
  const db = store.admin.db;
  const cutoff = opts.olderThan.getTime();
  const now = opts.now ?? Date.now();
  const keepRuns = opts.keepRuns ?? 20;
  const dryRun = opts.dryRun ?? false;
  if (!Number.isFinite(cutoff)) throw new NewscleanError('USAGE', 'prune: olderThan is not a valid date');
  if (cutoff > now) throw new NewscleanError('USAGE', `prune: olderThan (${iso(cutoff)}) is in the future`);
  if (!Number.isInteger(keepRuns) || keepRuns < 0) throw new NewscleanError('USAGE', `prune: keepRuns must be a whole number >= 0, not ${keepRuns}`);
  const windowDays = opts.clusterWindowDays;
  if (windowDays !== undefined && !(windowDays > 0)) throw new NewscleanError('USAGE', `prune: clusterWindowDays must be > 0, not ${windowDays}`);
  const before = store.admin.sizes().total;

  const counts = { frontierRows: 0, runs: 0, rejected: 0, gave_up: 0, clusters: 0 };
  const work = db.transaction(() => {
    // Runs first, so the frontier rows of the runs deleted go in the same sweep.
    counts.runs = db
      .prepare(
        `DELETE FROM runs WHERE status <> 'running' AND coalesce(ended_at, started_at) < @cutoff
           AND run_id NOT IN (SELECT run_id FROM runs WHERE status <> 'running' ORDER BY started_at DESC, run_id DESC LIMIT @keep)`,
      )
      .run({ cutoff, keep: keepRuns }).changes;
    counts.frontierRows = db
      .prepare("DELETE FROM frontier WHERE run_id NOT IN (SELECT run_id FROM runs WHERE status = 'running')")
      .run().changes;
    const urls = db.prepare('DELETE FROM urls WHERE status = ? AND coalesce(last_fetched_at, updated_at) < ?');
    counts.rejected = urls.run('rejected', cutoff).changes;
    counts.gave_up = urls.run('gave_up', cutoff).changes;
    // By added_at (indexed since schema 6), the same bound the ledger reads them with.
    if (windowDays !== undefined) counts.clusters = db.prepare('DELETE FROM clusters WHERE added_at < ?').run(now - windowDays * 86_400_000).changes;
    if (dryRun) throw new DryRunRollback();
  });
  try {
    work();
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }

  const reclaimed = dryRun ? { checkpointed: false, vacuumed: false } : store.admin.reclaim(opts.vacuum ?? false);
  return {
    dryRun,
    frontierRows: counts.frontierRows,
    runs: counts.runs,
    urls: { rejected: counts.rejected, gave_up: counts.gave_up },
    clusters: counts.clusters,
    ...reclaimed,
    bytesBefore: before,
    bytesAfter: store.admin.sizes().total,
  };
}
