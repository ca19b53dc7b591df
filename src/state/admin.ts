/**
 * Housekeeping over the state store, behind `newsclean state stats|export|prune`:
 * counts for humans, a row stream for JSONL export, and pruning of what is no
 * longer useful (old runs and their frontiers, URLs that were rejected or given
 * up long ago, near-duplicate signatures older than the near-duplicate window).
 * Exported URLs and contents are never pruned: they are the memory that keeps
 * a later run from exporting the same article twice.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { NewscleanError } from '../shared/errors.js';
import type { RunStatus, UrlStatus } from './state-store.js';
import type { SqliteStateStore } from './store.js';

export interface StateStats {
  schemaVersion: number;
  /** page_count × page_size (what the database holds, WAL included); 0 for ':memory:'. */
  fileBytes: number;
  /** Size of the -wal file on disk right now; 0 if none or in memory. */
  walBytes: number;
  /** Pages on the free list (reclaimed by VACUUM). */
  freeBytes: number;
  urls: {
    total: number;
    byStatus: Record<UrlStatus, number> & Record<string, number>;
    /** The `topSites` sites with the most URLs, most first (site null = URLs given without a site). */
    bySite: { site: string | null; urls: number; exported: number }[];
    /** Sites beyond `bySite`. */
    otherSites: number;
    /** Failed, rejected and given-up URLs by last reject code, most first. */
    byCode: { status: string; code: string | null; urls: number }[];
    /** Failed URLs whose next_retry_at has come (a run now would try them again). */
    dueForRetry: number;
    /** Failed URLs still waiting for their retry time. */
    waitingForRetry: number;
    /** URLs exported in more than one version (the article changed). */
    changed: number;
    /** Versions beyond the first, over all URLs (Σ version − 1 where version > 1). */
    extraVersions: number;
  };
  contents: number;
  clusters: {
    /** Articles with a near-duplicate signature. */
    articles: number;
    /** Distinct cluster ids. */
    clusters: number;
    /** Clusters with more than one member (near-duplicates were found). */
    multiMember: number;
    /** Articles in those clusters. */
    inMultiMember: number;
  };
  runs: {
    total: number;
    byStatus: Record<RunStatus, number> & Record<string, number>;
    /** The 10 most recently started runs, newest first. */
    last: { runId: string; command: string; status: string; startedAt: string; endedAt: string | null; summary: unknown }[];
  };
}

export interface StatsOptions {
  /** "Now" for the retry counts, ms since epoch (default Date.now()). */
  now?: number;
  /** How many sites to list (default 50). */
  topSites?: number;
  /** How many runs to list (default 10). */
  lastRuns?: number;
}

const iso = (ms: number | null | undefined): string | null => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

function parseSummary(summary: string | null): unknown {
  if (summary === null) return null;
  try {
    return JSON.parse(summary) as unknown;
  } catch {
    return summary;
  }
}

function pageBytes(db: Database.Database): { total: number; free: number } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freelist = db.pragma('freelist_count', { simple: true }) as number;
  return { total: pageCount * pageSize, free: freelist * pageSize };
}

const inMemory = (store: SqliteStateStore): boolean => store.path === ':memory:' || store.path === '' || store.db.memory;

function walSize(store: SqliteStateStore): number {
  if (inMemory(store)) return 0;
  try {
    return statSync(`${store.path}-wal`).size;
  } catch {
    return 0;
  }
}

/** Everything `newsclean state stats` shows. A few full scans of urls: about a second per million URLs. */
export function stateStats(store: SqliteStateStore, opts: StatsOptions = {}): StateStats {
  const db = store.db;
  const now = opts.now ?? Date.now();
  const topSites = opts.topSites ?? 50;
  const lastRuns = opts.lastRuns ?? 10;
  const memory = inMemory(store);
  const bytes = pageBytes(db);

  const byStatus = { exported: 0, rejected: 0, failed: 0, gave_up: 0 } as StateStats['urls']['byStatus'];
  let total = 0;
  for (const r of db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM urls GROUP BY status').iterate()) {
    byStatus[r.status] = r.n;
    total += r.n;
  }

  const sites = db
    .prepare<[], { site: string | null; urls: number; exported: number }>(
      "SELECT site, count(*) AS urls, sum(status = 'exported') AS exported FROM urls GROUP BY site ORDER BY urls DESC, site LIMIT -1",
    )
    .all();
  const bySite = sites.slice(0, topSites).map((s) => ({ site: s.site, urls: s.urls, exported: s.exported ?? 0 }));

  const byCode = db
    .prepare<[], { status: string; code: string | null; urls: number }>(
      "SELECT status, last_code AS code, count(*) AS urls FROM urls WHERE status IN ('failed', 'rejected', 'gave_up') GROUP BY status, last_code ORDER BY urls DESC, status, code",
    )
    .all();

  const retry = db
    .prepare<[{ now: number }], { due: number | null; waiting: number | null }>(
      "SELECT sum(next_retry_at IS NULL OR next_retry_at <= @now) AS due, sum(next_retry_at > @now) AS waiting FROM urls WHERE status = 'failed'",
    )
    .get({ now });

  const versions = db
    .prepare<[], { changed: number; extra: number | null }>('SELECT count(*) AS changed, sum(version - 1) AS extra FROM urls WHERE version > 1')
    .get();

  const contents = (db.prepare<[], { n: number }>('SELECT count(*) AS n FROM contents').get()?.n ?? 0);
  const clusters = db
    .prepare<[], { articles: number | null; clusters: number; multi: number | null; inMulti: number | null }>(
      'SELECT sum(n) AS articles, count(*) AS clusters, sum(n > 1) AS multi, sum(CASE WHEN n > 1 THEN n ELSE 0 END) AS inMulti FROM (SELECT count(*) AS n FROM clusters GROUP BY cluster_id)',
    )
    .get();

  const runsByStatus = { running: 0, done: 0, interrupted: 0, failed: 0 } as StateStats['runs']['byStatus'];
  let runsTotal = 0;
  for (const r of db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status').iterate()) {
    runsByStatus[r.status] = r.n;
    runsTotal += r.n;
  }
  const last = db
    .prepare<[number], { run_id: string; command: string; status: string; started_at: number; ended_at: number | null; summary: string | null }>(
      'SELECT run_id, command, status, started_at, ended_at, summary FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?',
    )
    .all(lastRuns)
    .map((r) => ({ runId: r.run_id, command: r.command, status: r.status, startedAt: iso(r.started_at) ?? '', endedAt: iso(r.ended_at), summary: parseSummary(r.summary) }));

  return {
    schemaVersion: store.schemaVersion,
    fileBytes: memory ? 0 : bytes.total,
    walBytes: walSize(store),
    freeBytes: memory ? 0 : bytes.free,
    urls: {
      total,
      byStatus,
      bySite,
      otherSites: Math.max(0, sites.length - bySite.length),
      byCode,
      dueForRetry: retry?.due ?? 0,
      waitingForRetry: retry?.waiting ?? 0,
      changed: versions?.changed ?? 0,
      extraVersions: versions?.extra ?? 0,
    },
    contents,
    clusters: {
      articles: clusters?.articles ?? 0,
      clusters: clusters?.clusters ?? 0,
      multiMember: clusters?.multi ?? 0,
      inMultiMember: clusters?.inMulti ?? 0,
    },
    runs: { total: runsTotal, byStatus: runsByStatus, last },
  };
}

const int = (n: number): string => n.toLocaleString('en-US');

function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Two columns, the labels padded to the widest one. */
function table(rows: [string, string][], indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  const valueWidth = Math.max(0, ...rows.map(([, v]) => v.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v.padStart(valueWidth)}`.trimEnd());
}

const oneLine = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)}`)
      .join(' ');
  }
  return String(v);
};

/** `newsclean state stats` for humans: aligned plain-text lines, no colours. */
export function formatStats(s: StateStats): string {
  const out: string[] = [];
  out.push(`schema version ${s.schemaVersion}`);
  const perUrl = s.urls.total > 0 && s.fileBytes > 0 ? `, ${int(Math.round(s.fileBytes / s.urls.total))} per URL` : '';
  out.push(
    s.fileBytes === 0 && s.walBytes === 0
      ? 'database in memory (or empty)'
      : `database ${humanBytes(s.fileBytes)} (${int(s.fileBytes)} bytes${perUrl}), wal file ${humanBytes(s.walBytes)}, free ${humanBytes(s.freeBytes)}`,
  );
  out.push('');
  out.push(`urls ${int(s.urls.total)}`);
  out.push(
    ...table([
      ...Object.entries(s.urls.byStatus).map(([k, v]): [string, string] => [k, int(v)]),
      ['due for retry now', int(s.urls.dueForRetry)],
      ['waiting for retry', int(s.urls.waitingForRetry)],
      ['changed (version > 1)', int(s.urls.changed)],
      ['extra versions', int(s.urls.extraVersions)],
    ]),
  );
  if (s.urls.byCode.length > 0) {
    out.push('');
    out.push('not exported, by last code');
    const w = Math.max(...s.urls.byCode.map((c) => c.status.length));
    out.push(...table(s.urls.byCode.map((c): [string, string] => [`${c.status.padEnd(w)}  ${c.code ?? '-'}`, int(c.urls)])));
  }
  if (s.urls.bySite.length > 0) {
    out.push('');
    out.push(`sites (top ${s.urls.bySite.length}${s.urls.otherSites > 0 ? `, ${int(s.urls.otherSites)} more` : ''})`);
    const rows = [['site', 'urls', 'exported'] as const, ...s.urls.bySite.map((x) => [x.site ?? '(none)', int(x.urls), int(x.exported)] as const)];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    const w2 = Math.max(...rows.map((r) => r[2].length));
    for (const [a, b, c] of rows) out.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(w2)}`);
  }
  out.push('');
  out.push(`contents ${int(s.contents)}`);
  out.push(`clusters`);
  out.push(
    ...table([
      ['articles', int(s.clusters.articles)],
      ['clusters', int(s.clusters.clusters)],
      ['with near-duplicates', int(s.clusters.multiMember)],
      ['articles in those', int(s.clusters.inMultiMember)],
    ]),
  );
  out.push('');
  out.push(`runs ${int(s.runs.total)}`);
  out.push(...table(Object.entries(s.runs.byStatus).map(([k, v]): [string, string] => [k, int(v)])));
  if (s.runs.last.length > 0) {
    out.push('');
    out.push(`last ${s.runs.last.length} runs`);
    const w = {
      id: Math.max(...s.runs.last.map((r) => r.runId.length)),
      cmd: Math.max(...s.runs.last.map((r) => r.command.length)),
      st: Math.max(...s.runs.last.map((r) => r.status.length)),
    };
    for (const r of s.runs.last) {
      out.push(
        `  ${r.runId.padEnd(w.id)}  ${r.command.padEnd(w.cmd)}  ${r.status.padEnd(w.st)}  ${r.startedAt}  ${(r.endedAt ?? '-').padEnd(24)}  ${oneLine(r.summary)}`.trimEnd(),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

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
export function exportState(store: SqliteStateStore, opts: ExportOptions): IterableIterator<Record<string, unknown>> {
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
  const stmt = store.db.prepare<unknown[], Record<string, unknown>>(sql);
  const rows = where.length > 0 ? stmt.iterate(params) : stmt.iterate();
  return (function* () {
    for (const row of rows) yield exportRow(row);
  })();
}

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
export function pruneState(store: SqliteStateStore, opts: PruneOptions): PruneResult {
  const db = store.db;
  const cutoff = opts.olderThan.getTime();
  const now = opts.now ?? Date.now();
  const keepRuns = opts.keepRuns ?? 20;
  const dryRun = opts.dryRun ?? false;
  if (!Number.isFinite(cutoff)) throw new NewscleanError('USAGE', 'prune: olderThan is not a valid date');
  if (cutoff > now) throw new NewscleanError('USAGE', `prune: olderThan (${iso(cutoff)}) is in the future`);
  if (!Number.isInteger(keepRuns) || keepRuns < 0) throw new NewscleanError('USAGE', `prune: keepRuns must be a whole number >= 0, not ${keepRuns}`);
  const windowDays = opts.clusterWindowDays;
  if (windowDays !== undefined && !(windowDays > 0)) throw new NewscleanError('USAGE', `prune: clusterWindowDays must be > 0, not ${windowDays}`);
  const memory = inMemory(store);
  const before = memory ? 0 : pageBytes(db).total;

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

  let checkpointed = false;
  let vacuumed = false;
  if (!dryRun) {
    if (!memory) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      checkpointed = true;
    }
    if (opts.vacuum) {
      db.exec('VACUUM');
      vacuumed = true;
      if (!memory) db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }
  return {
    dryRun,
    frontierRows: counts.frontierRows,
    runs: counts.runs,
    urls: { rejected: counts.rejected, gave_up: counts.gave_up },
    clusters: counts.clusters,
    checkpointed,
    vacuumed,
    bytesBefore: before,
    bytesAfter: memory ? 0 : pageBytes(db).total,
  };
}
