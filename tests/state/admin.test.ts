import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportState, formatStats, pruneState, stateStats } from '../../src/state/admin.js';
import { MIGRATIONS } from '../../src/state/migrations.js';
import type { StateStore } from '../../src/state/store.js';
import { trackStateStores } from '../helpers/state-stores.js';

const policy = { maxRuns: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

const { open, tempPath } = trackStateStores('nc-admin-');

const u = (site: string, path: string) => ({ key: `https://${site}.example/${path}`, url: `https://${site}.example/${path}?utm_source=x`, site });
const exp = (site: string, path: string, at: number, version: number, runId = 'run1') => ({
  ...u(site, path),
  at,
  attempts: 1,
  runId,
  etag: `"${path}-${version}"`,
  lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT',
  contentHash: `sha256:${path}-${version}`,
  articleId: `id-${path}`,
  version,
});
const fail = (site: string, path: string, at: number, code: string, transient: boolean) => ({ ...u(site, path), at, attempts: 2, code, transient });
const sig = (...bytes: number[]) => new Uint8Array(bytes);

/**
 * URLs:  e1 a exported v1 @1000 · e2 a exported v3 @2000 · e3 b exported v2 @2500
 *        e4 a exported @500, then a final failure @600 (stays exported)
 *        f1 b failed FETCH_TIMEOUT @1000 (retry @2000) · f2 b failed HTTP_503 @5000 (retry @6000)
 *        r1 a rejected NOT_AN_ARTICLE @1000 · r2 c rejected HTTP_404 @10000
 *        g1 c gave_up FETCH_FAILED (3 failed runs, last @3000)
 * Runs:  run1 done 1000–1500 · run2 interrupted 2000–2100 · run3 running @3000 · run4 done 9000–9500
 * Frontier: run1 ×2, run2 ×1, run3 ×3, ghost (no run row) ×1
 * Contents ×3; clusters c1 {a1,a2,a3}, c2 {a4}, c3 {a5,a6}
 */
function fill(s: StateStore): void {
  s.transaction(() => {
    s.markExported(exp('a', 'e1', 1000, 1));
    s.markExported(exp('a', 'e2', 2000, 3));
    s.markExported(exp('b', 'e3', 2500, 2, 'run4'));
    s.markExported(exp('a', 'e4', 500, 1));
    expect(s.markFailed(fail('a', 'e4', 600, 'NOT_AN_ARTICLE', false), policy)).toBe('exported');
    expect(s.markFailed(fail('b', 'f1', 1000, 'FETCH_TIMEOUT', true), policy)).toBe('failed');
    expect(s.markFailed(fail('b', 'f2', 5000, 'HTTP_503', true), policy)).toBe('failed');
    expect(s.markFailed(fail('a', 'r1', 1000, 'NOT_AN_ARTICLE', false), policy)).toBe('rejected');
    expect(s.markFailed(fail('c', 'r2', 10_000, 'HTTP_404', false), policy)).toBe('rejected');
    s.markFailed(fail('c', 'g1', 1000, 'FETCH_FAILED', true), policy);
    s.markFailed(fail('c', 'g1', 2000, 'FETCH_FAILED', true), policy);
    expect(s.markFailed(fail('c', 'g1', 3000, 'FETCH_FAILED', true), policy)).toBe('gave_up');
  });
  const run = { command: 'crawl', plan_hash: 'p', records_path: 'out.jsonl', rejects_path: null, manifest_path: null, owner_pid: null, owner_host: null };
  s.beginRun({ ...run, run_id: 'run1', started_at: 1000 });
  s.endRun('run1', 'done', 1500, { articles: 3, rejects: 1 });
  s.beginRun({ ...run, run_id: 'run2', started_at: 2000 });
  s.endRun('run2', 'interrupted', 2100, { articles: 0 });
  s.beginRun({ ...run, run_id: 'run3', started_at: 3000 });
  s.beginRun({ ...run, run_id: 'run4', started_at: 9000 });
  s.endRun('run4', 'done', 9500, { articles: 1 });
  const item = (p: string) => ({ url_key: `https://a.example/${p}`, url: `https://a.example/${p}`, depth: 0, site: 'a' });
  s.addToFrontier('run1', [item('q1'), item('q2')]);
  s.addToFrontier('run2', [item('q3')]);
  s.addToFrontier('run3', [item('q4'), item('q5'), item('q6')]);
  s.addToFrontier('ghost', [item('q7')]);
  s.addContent('sha256:e1-1', 'id-e1', u('a', 'e1').key);
  s.addContent('sha256:e2-3', 'id-e2', u('a', 'e2').key);
  s.addContent('sha256:e3-2', 'id-e3', u('b', 'e3').key);
  s.addCluster('a1', 'c1', sig(1, 2, 3), 1000);
  s.addCluster('a2', 'c1', sig(1, 2, 4), 1001);
  s.addCluster('a3', 'c1', sig(1, 2, 5), 1002);
  s.addCluster('a4', 'c2', sig(9, 9, 9), 1003);
  s.addCluster('a5', 'c3', sig(0xff, 0xfe), 1004);
  s.addCluster('a6', 'c3', sig(0xff, 0xfd), 1005);
}

const count = (s: StateStore, table: string, where = '1'): number =>
  (s.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

describe('stateStats', () => {
  it('counts every kind of row', () => {
    const s = open();
    fill(s);
    const st = stateStats(s, { now: 4000 });
    expect(st.schemaVersion).toBe(MIGRATIONS.length);
    expect(st.fileBytes).toBe(0);
    expect(st.walBytes).toBe(0);
    expect(st.urls.total).toBe(9);
    expect(st.urls.byStatus).toEqual({ exported: 4, failed: 2, rejected: 2, gave_up: 1 });
    expect(st.urls.bySite).toEqual([
      { site: 'a', urls: 4, exported: 3 },
      { site: 'b', urls: 3, exported: 1 },
      { site: 'c', urls: 2, exported: 0 },
    ]);
    expect(st.urls.otherSites).toBe(0);
    expect(st.urls.byCode).toEqual([
      { status: 'failed', code: 'FETCH_TIMEOUT', urls: 1 },
      { status: 'failed', code: 'HTTP_503', urls: 1 },
      { status: 'gave_up', code: 'FETCH_FAILED', urls: 1 },
      { status: 'rejected', code: 'HTTP_404', urls: 1 },
      { status: 'rejected', code: 'NOT_AN_ARTICLE', urls: 1 },
    ]);
    expect(st.urls.dueForRetry).toBe(1); // f1 (retry @2000); f2 waits until 6000
    expect(st.urls.waitingForRetry).toBe(1);
    expect(st.urls.changed).toBe(2); // e2 v3, e3 v2
    expect(st.urls.extraVersions).toBe(3);
    expect(st.contents).toBe(3);
    expect(st.clusters).toEqual({ articles: 6, clusters: 3, multiMember: 2, inMultiMember: 5 });
    expect(st.runs.total).toBe(4);
    expect(st.runs.byStatus).toEqual({ running: 1, done: 2, interrupted: 1, failed: 0 });
    expect(st.runs.last.map((r) => r.runId)).toEqual(['run4', 'run3', 'run2', 'run1']);
    expect(st.runs.last[0]).toEqual({
      runId: 'run4',
      command: 'crawl',
      status: 'done',
      startedAt: new Date(9000).toISOString(),
      endedAt: new Date(9500).toISOString(),
      summary: { articles: 1 },
    });
    expect(st.runs.last[1]).toMatchObject({ runId: 'run3', status: 'running', endedAt: null, summary: null });
  });

  it('moves the retry split with now, limits sites and runs listed', () => {
    const s = open();
    fill(s);
    expect(stateStats(s, { now: 1999 }).urls).toMatchObject({ dueForRetry: 0, waitingForRetry: 2 });
    expect(stateStats(s, { now: 6000 }).urls).toMatchObject({ dueForRetry: 2, waitingForRetry: 0 });
    const st = stateStats(s, { now: 0, topSites: 1, lastRuns: 2 });
    expect(st.urls.bySite).toEqual([{ site: 'a', urls: 4, exported: 3 }]);
    expect(st.urls.otherSites).toBe(2);
    expect(st.runs.last.map((r) => r.runId)).toEqual(['run4', 'run3']);
  });

  it('works on an empty store', () => {
    const st = stateStats(open(), { now: 0 });
    expect(st.urls).toMatchObject({ total: 0, byStatus: { exported: 0, failed: 0, rejected: 0, gave_up: 0 }, bySite: [], byCode: [], dueForRetry: 0, changed: 0, extraVersions: 0 });
    expect(st.clusters).toEqual({ articles: 0, clusters: 0, multiMember: 0, inMultiMember: 0 });
    expect(st.runs).toEqual({ total: 0, byStatus: { running: 0, done: 0, interrupted: 0, failed: 0 }, last: [] });
    expect(formatStats(st)).toContain('urls 0');
  });

  it('reports the file size of a store on disk', () => {
    const s = open(tempPath());
    fill(s);
    const st = stateStats(s, { now: 4000 });
    const pageSize = s.db.pragma('page_size', { simple: true }) as number;
    const pageCount = s.db.pragma('page_count', { simple: true }) as number;
    expect(st.fileBytes).toBe(pageSize * pageCount);
    expect(st.fileBytes).toBeGreaterThan(0);
    expect(st.walBytes).toBe(statSync(`${s.path}-wal`).size);
  });

  it('formats aligned plain text', () => {
    const s = open();
    fill(s);
    const text = formatStats(stateStats(s, { now: 4000 }));
    expect(text).toMatch(new RegExp(`^schema version ${MIGRATIONS.length}\\n`));
    expect(text).toContain('urls 9\n');
    expect(text).toMatch(/\n {2}due for retry now +1\n/);
    expect(text).toMatch(/\n {2}failed +FETCH_TIMEOUT +1\n/);
    expect(text).toMatch(/\n {2}run4 +crawl +done +1970-01-01T00:00:09\.000Z +1970-01-01T00:00:09\.500Z +articles=1\n/);
    // The urls block: values right-aligned in one column.
    const block = text.split('\n\n')[1]!.split('\n').slice(1);
    expect(new Set(block.map((l) => l.length)).size).toBe(1);
    expect(text).not.toMatch(/\x1b\[/);
  });
});

describe('exportState', () => {
  it('streams urls with ISO dates, filtered by site and status', () => {
    const s = open();
    fill(s);
    const all = [...exportState(s, { table: 'urls' })];
    expect(all).toHaveLength(9);
    expect(all.map((r) => r.url_key)).toEqual([...all.map((r) => r.url_key as string)].sort());
    const e2 = all.find((r) => r.url_key === u('a', 'e2').key)!;
    expect(e2).toEqual({
      url_key: 'https://a.example/e2',
      url: 'https://a.example/e2?utm_source=x',
      site: 'a',
      status: 'exported',
      attempts: 1,
      failed_runs: 0,
      next_retry_at: null,
      last_code: null,
      last_fetched_at: new Date(2000).toISOString(),
      etag: '"e2-3"',
      last_modified: 'Tue, 01 Apr 2025 10:00:00 GMT',
      content_hash: 'sha256:e2-3',
      article_id: 'id-e2',
      version: 3,
      exported_run: 'run1',
      first_seen_at: new Date(2000).toISOString(),
      updated_at: new Date(2000).toISOString(),
    });
    const f1 = all.find((r) => r.url_key === u('b', 'f1').key)!;
    expect(f1.next_retry_at).toBe(new Date(2000).toISOString());
    expect([...exportState(s, { table: 'urls', site: 'c' })].map((r) => r.url_key)).toEqual([u('c', 'g1').key, u('c', 'r2').key]);
    expect([...exportState(s, { table: 'urls', status: 'failed' })].map((r) => r.url_key)).toEqual([u('b', 'f1').key, u('b', 'f2').key]);
    expect([...exportState(s, { table: 'urls', site: 'a', status: 'rejected' })].map((r) => r.url_key)).toEqual([u('a', 'r1').key]);
    expect([...exportState(s, { table: 'urls', site: 'nowhere' })]).toEqual([]);
  });

  it('streams runs with the summary parsed, clusters with base64 signatures, contents as they are', () => {
    const s = open();
    fill(s);
    const runs = [...exportState(s, { table: 'runs' })];
    expect(runs.map((r) => r.run_id)).toEqual(['run1', 'run2', 'run3', 'run4']);
    expect(runs[0]).toEqual({
      run_id: 'run1',
      command: 'crawl',
      plan_hash: 'p',
      status: 'done',
      started_at: new Date(1000).toISOString(),
      ended_at: new Date(1500).toISOString(),
      records_path: 'out.jsonl',
      rejects_path: null,
      manifest_path: null,
      summary: { articles: 3, rejects: 1 },
      owner_pid: null,
      owner_host: null,
      heartbeat_at: null,
      owner_started: null,
      owner_boot: null,
      failure_reason: null,
    });
    expect(runs[2]).toMatchObject({ run_id: 'run3', status: 'running', ended_at: null, summary: null });
    expect([...exportState(s, { table: 'runs', status: 'done' })].map((r) => r.run_id)).toEqual(['run1', 'run4']);

    const clusters = [...exportState(s, { table: 'clusters' })];
    expect(clusters).toHaveLength(6);
    expect(clusters[0]).toEqual({ article_id: 'a1', cluster_id: 'c1', signature: Buffer.from([1, 2, 3]).toString('base64'), added_at: new Date(1000).toISOString() });
    expect(clusters[4]!.signature).toBe('//4=');
    expect(Buffer.from(clusters[5]!.signature as string, 'base64')).toEqual(Buffer.from([0xff, 0xfd]));

    const contents = [...exportState(s, { table: 'contents' })];
    expect(contents).toEqual([
      { content_hash: 'sha256:e1-1', article_id: 'id-e1', url_key: 'https://a.example/e1' },
      { content_hash: 'sha256:e2-3', article_id: 'id-e2', url_key: 'https://a.example/e2' },
      { content_hash: 'sha256:e3-2', article_id: 'id-e3', url_key: 'https://b.example/e3' },
    ]);
    // Every row survives JSON (what the CLI writes).
    for (const r of [...runs, ...clusters, ...contents]) expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('is lazy, and an abandoned stream frees the connection', () => {
    const s = open();
    fill(s);
    const it = exportState(s, { table: 'urls' });
    expect(it.next().done).toBe(false);
    it.return?.();
    s.markExported(exp('d', 'late', 1, 1)); // would throw "connection is busy" while a cursor is open
    expect(s.getUrl(u('d', 'late').key)?.status).toBe('exported');
  });

  it('refuses filters a table does not have and unknown tables, with USAGE', () => {
    const s = open();
    expect(() => exportState(s, { table: 'runs', site: 'a' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => exportState(s, { table: 'clusters', status: 'done' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => exportState(s, { table: 'frontier' as never })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('pruneState', () => {
  const snapshot = (s: StateStore) => ({
    urls: [...exportState(s, { table: 'urls' })],
    runs: [...exportState(s, { table: 'runs' })],
    frontier: s.db.prepare('SELECT * FROM frontier ORDER BY rowid').all(),
    contents: count(s, 'contents'),
    clusters: count(s, 'clusters'),
  });

  it('deletes old runs beyond keepRuns, dead frontiers, old rejected and given-up URLs; keeps the rest', () => {
    const s = open();
    fill(s);
    const r = pruneState(s, { olderThan: new Date(5000), keepRuns: 1, now: 20_000 });
    expect(r).toMatchObject({ dryRun: false, runs: 2, frontierRows: 4, urls: { rejected: 1, gave_up: 1 }, vacuumed: false, bytesBefore: 0, bytesAfter: 0 });
    // run1 and run2 ended before 5000; run3 is running; run4 is the one kept (and recent anyway).
    expect(s.db.prepare('SELECT run_id FROM runs ORDER BY run_id').pluck().all()).toEqual(['run3', 'run4']);
    expect(s.pendingFrontier('run3')).toHaveLength(3);
    expect(count(s, 'frontier')).toBe(3);
    expect(s.getUrl(u('a', 'r1').key)).toBeUndefined();
    expect(s.getUrl(u('c', 'g1').key)).toBeUndefined();
    expect(s.getUrl(u('c', 'r2').key)?.status).toBe('rejected'); // fetched at 10000, after the cutoff
    // Exported (even the one whose last fetch failed, long ago) and failed URLs stay, as do contents and clusters.
    for (const p of ['e1', 'e2', 'e4']) expect(s.getUrl(u('a', p).key)?.status).toBe('exported');
    expect(s.getUrl(u('b', 'e3').key)?.status).toBe('exported');
    expect(s.getUrl(u('b', 'f1').key)?.status).toBe('failed');
    expect(count(s, 'urls')).toBe(7);
    expect(count(s, 'contents')).toBe(3);
    expect(count(s, 'clusters')).toBe(6);
    // A second prune finds nothing more.
    expect(pruneState(s, { olderThan: new Date(5000), keepRuns: 1, now: 20_000 })).toMatchObject({ runs: 0, frontierRows: 0, urls: { rejected: 0, gave_up: 0 } });
  });

  it('keeps the 20 most recent finished runs by default, and all runs newer than the cutoff', () => {
    const s = open();
    fill(s);
    expect(pruneState(s, { olderThan: new Date(5000), now: 20_000 })).toMatchObject({ runs: 0, frontierRows: 4 });
    expect(count(s, 'runs')).toBe(4);
    const t = open();
    fill(t);
    expect(pruneState(t, { olderThan: new Date(1600), keepRuns: 0, now: 20_000 }).runs).toBe(1); // run1 only: run2 ended at 2100
    expect(pruneState(t, { olderThan: new Date(20_000), keepRuns: 0, now: 20_000 }).runs).toBe(2); // run2 and run4; run3 is running
    expect(t.db.prepare('SELECT run_id FROM runs').pluck().all()).toEqual(['run3']);
  });

  it('counts without deleting in a dry run', () => {
    const s = open();
    fill(s);
    const before = snapshot(s);
    const r = pruneState(s, { olderThan: new Date(5000), keepRuns: 1, now: 20_000, dryRun: true, vacuum: true });
    expect(r).toMatchObject({ dryRun: true, runs: 2, frontierRows: 4, urls: { rejected: 1, gave_up: 1 }, checkpointed: false, vacuumed: false });
    expect(snapshot(s)).toEqual(before);
    expect(s.db.inTransaction).toBe(false);
  });

  it('checkpoints, truncates the WAL and vacuums a store on disk', () => {
    const path = tempPath();
    const s = open(path);
    fill(s);
    // Bulk of rejected URLs to make the prune free pages.
    s.transaction(() => {
      for (let i = 0; i < 3000; i++) s.markFailed(fail('z', `junk/${i}/${'x'.repeat(100)}`, 100, 'NOT_AN_ARTICLE', false), policy);
    });
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    const r = pruneState(s, { olderThan: new Date(5000), keepRuns: 1, now: 20_000, vacuum: true });
    expect(r).toMatchObject({ dryRun: false, runs: 2, frontierRows: 4, urls: { rejected: 3001, gave_up: 1 }, checkpointed: true, vacuumed: true });
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    expect(r.bytesAfter).toBe(statSync(path).size);
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    expect(stateStats(s, { now: 20_000 }).freeBytes).toBe(0);
    s.close();
    const again = open(path);
    expect(again.getUrl(u('a', 'e1').key)?.status).toBe('exported');
    expect(count(again, 'urls')).toBe(7);
  });

  it('deletes near-duplicate signatures older than the window, through the added_at index, and keeps those inside it', () => {
    const s = open();
    fill(s); // clusters added at 1000..1005
    const DAY = 86_400_000;
    const now = 1002 + 2 * DAY; // a 2-day window begins at 1002
    const plan = s.db.prepare('EXPLAIN QUERY PLAN DELETE FROM clusters WHERE added_at < ?').all(0) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX clusters_by_added_at/);
    expect(pruneState(s, { olderThan: new Date(0), now, dryRun: true, clusterWindowDays: 2 }).clusters).toBe(2);
    expect(count(s, 'clusters')).toBe(6);
    expect(pruneState(s, { olderThan: new Date(0), now, clusterWindowDays: 2 }).clusters).toBe(2);
    expect([...s.clusters(0)].map((c) => c.article_id)).toEqual(['a3', 'a4', 'a5', 'a6']);
    expect(pruneState(s, { olderThan: new Date(0), now }).clusters).toBe(0); // no window given: clusters kept
    expect(() => pruneState(s, { olderThan: new Date(0), now, clusterWindowDays: 0 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('refuses a cutoff in the future or a bad keepRuns, with USAGE', () => {
    const s = open();
    expect(() => pruneState(s, { olderThan: new Date(20_001), now: 20_000 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => pruneState(s, { olderThan: new Date(Number.NaN), now: 20_000 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => pruneState(s, { olderThan: new Date(0), now: 20_000, keepRuns: -1 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
