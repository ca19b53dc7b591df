/** `newsclean state export`: the rows of one table of the store, for JSONL. */
import { NewscleanError } from '../shared/errors.js';
import { iso, parseSummary } from './admin-common.js';
import type { AdminStore } from './admin-common.js';

export type ExportTable = 'urls' | 'runs' | 'clusters' | 'contents';
export interface ExportOptions {
  table: ExportTable;
  /** urls only. */
  site?: string;
  /** urls (exported, rejected, failed, gave_up) and runs (running, done, interrupted, failed). */
  status?: string;
}

const EXPORT_SQL: Record<ExportTable, { sql: string; site: boolean; status: boolean; order: string }> = {
  urls: { sql: 'SELECT * FROM urls', site: true, status: true, order: 'url_key' },
  runs: { sql: 'SELECT * FROM runs', site: false, status: true, order: 'started_at, run_id' },
  clusters: { sql: 'SELECT article_id, cluster_id, signature, added_at FROM clusters', site: false, status: false, order: 'article_id' },
  contents: { sql: 'SELECT content_hash, article_id, url_key FROM contents', site: false, status: false, order: 'content_hash' },
};

/** A row as exported: *_at columns as ISO strings, BLOBs as base64, a run's summary parsed. */
function exportRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.endsWith('_at') && typeof v === 'number') out[k] = iso(v);
    else if (Buffer.isBuffer(v)) out[k] = v.toString('base64');
    else if (k === 'summary' && typeof v === 'string') out[k] = parseSummary(v);
    else out[k] = v;
  }
  return out;
}

/**
 * Stream the rows of one table (for `newsclean state export`, written as JSONL).
 * Rows come from a live cursor: finish or `return()` the iterator before using
 * the same store for anything else (better-sqlite3 allows one open cursor per write).
 */
export function exportState(store: AdminStore, opts: ExportOptions): IterableIterator<Record<string, unknown>> {
  const spec = EXPORT_SQL[opts.table];
  if (!spec) throw new NewscleanError('USAGE', `unknown state table "${String(opts.table)}" (urls, runs, clusters, contents)`);
  if (opts.site !== undefined && !spec.site) throw new NewscleanError('USAGE', `--site applies to the urls table only, not ${opts.table}`);
  if (opts.status !== undefined && !spec.status) throw new NewscleanError('USAGE', `--status applies to the urls and runs tables only, not ${opts.table}`);
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (opts.site !== undefined) {
    where.push('site = @site');
    params.site = opts.site;
  }
  if (opts.status !== undefined) {
    where.push('status = @status');
    params.status = opts.status;
  }
  const sql = `${spec.sql}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${spec.order}`;
  const stmt = store.admin.db.prepare<unknown[], Record<string, unknown>>(sql);
  const rows = where.length > 0 ? stmt.iterate(params) : stmt.iterate();
  return (function* () {
    for (const row of rows) yield exportRow(row);
  })();
}
