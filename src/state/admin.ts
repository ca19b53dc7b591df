/**
 * Housekeeping over the state store, behind `newsclean state stats|export|prune`:
 * counts for humans, a row stream for JSONL export, and pruning of what is no
 * longer useful (old runs and their frontiers, URLs that were rejected or given
 * up long ago, near-duplicate signatures older than the near-duplicate window).
 * Exported URLs and contents are never pruned: they are the memory that keeps
 * a later run from exporting the same article twice.
 *
 * SQLite-specific: these work on the raw handle of the SQLite store
 * (`SqliteStateStore.db`), not through the contract in state-store.ts.
 * One file per command: admin-stats.ts, admin-format.ts, admin-export.ts,
 * admin-prune.ts (what they share: admin-common.ts).
 */
export { type StateStats, type StatsOptions, stateStats } from './admin-stats.js';
export { formatStats } from './admin-format.js';
export { type ExportOptions, type ExportTable, exportState } from './admin-export.js';
export { type PruneOptions, type PruneResult, pruneState } from './admin-prune.js';
