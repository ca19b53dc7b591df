/**
 * `newsclean state stats`: counts for humans (formatted by admin-format.ts)
 * or JSON, read from the store's tables directly (SQLite or PostgreSQL).
 */
import type { RunStatus, UrlStatus } from './state-store.js';
import { type AdminStore, iso, parseSummary } from './admin-common.js';
import type { SqlDb } from './sql-db.js';

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

type Db = SqlDb;

/** URLs by status, site and last reject code; retries due; changed articles. */
function urlFigures(db: Db, now: number, topSites: number): StateStats['urls'] {
  const byStatus = { exported: 0, rejected: 0, failed: 0, gave_up: 0 } as StateStats['urls']['byStatus'];
  let total = 0;
  for (const r of db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM urls GROUP BY status').iterate()) {
    byStatus[r.status] = r.n;
    total += r.n;
  }

  const sites = db
    .prepare<[], { site: string | null; urls: number; exported: number }>(
      "SELECT site, count(*) AS urls, sum(CASE WHEN status = 'exported' THEN 1 ELSE 0 END) AS exported FROM urls GROUP BY site ORDER BY urls DESC, site",
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
      "SELECT sum(CASE WHEN next_retry_at IS NULL OR next_retry_at <= @now THEN 1 ELSE 0 END) AS due, sum(CASE WHEN next_retry_at > @now THEN 1 ELSE 0 END) AS waiting FROM urls WHERE status = 'failed'",
    )
    .get({ now });

  const versions = db
    .prepare<[], { changed: number; extra: number | null }>('SELECT count(*) AS changed, sum(version - 1) AS extra FROM urls WHERE version > 1')
    .get();

  return {
    total,
    byStatus,
    bySite,
    otherSites: Math.max(0, sites.length - bySite.length),
    byCode,
    dueForRetry: retry?.due ?? 0,
    waitingForRetry: retry?.waiting ?? 0,
    changed: versions?.changed ?? 0,
    extraVersions: versions?.extra ?? 0,
  };
}

function clusterFigures(db: Db): StateStats['clusters'] {
  const clusters = db
    .prepare<[], { articles: number | null; clusters: number; multi: number | null; inMulti: number | null }>(
      'SELECT sum(n) AS articles, count(*) AS clusters, sum(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS multi, sum(CASE WHEN n > 1 THEN n ELSE 0 END) AS "inMulti" FROM (SELECT count(*) AS n FROM clusters GROUP BY cluster_id) AS per_cluster',
    )
    .get();
  return {
    articles: clusters?.articles ?? 0,
    clusters: clusters?.clusters ?? 0,
    multiMember: clusters?.multi ?? 0,
    inMultiMember: clusters?.inMulti ?? 0,
  };
}

/** Runs by status, and the `lastRuns` most recently started. */
function runFigures(db: Db, lastRuns: number): StateStats['runs'] {
  const byStatus = { running: 0, done: 0, interrupted: 0, failed: 0 } as StateStats['runs']['byStatus'];
  let total = 0;
  for (const r of db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status').iterate()) {
    byStatus[r.status] = r.n;
    total += r.n;
  }
  const last = db
    .prepare<[number], { run_id: string; command: string; status: string; started_at: number; ended_at: number | null; summary: string | null }>(
      'SELECT run_id, command, status, started_at, ended_at, summary FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?',
    )
    .all(lastRuns)
    .map((r) => ({ runId: r.run_id, command: r.command, status: r.status, startedAt: iso(r.started_at) ?? '', endedAt: iso(r.ended_at), summary: parseSummary(r.summary) }));
  return { total, byStatus, last };
}

/** Everything `newsclean state stats` shows. A few full scans of urls: about a second per million URLs. */
export function stateStats(store: AdminStore, opts: StatsOptions = {}): StateStats {
  const db = store.admin.db;
  const sizes = store.admin.sizes();
  return {
    schemaVersion: store.schemaVersion,
    fileBytes: sizes.total,
    walBytes: sizes.wal,
    freeBytes: sizes.free,
    urls: urlFigures(db, opts.now ?? Date.now(), opts.topSites ?? 50),
    contents: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM contents').get()?.n ?? 0,
    clusters: clusterFigures(db),
    runs: runFigures(db, opts.lastRuns ?? 10),
  };
}
