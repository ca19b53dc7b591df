/**
 * The state store's contract (src/state/state-store.ts) as tests, written
 * against the interface only: any implementation (SQLite today) runs them
 * through `describeStateStoreContract` with a function that opens a fresh,
 * empty store.
 */
import { describe, expect, it } from 'vitest';
import type { Exported, RetryPolicy, StateStore } from '../../src/state/state-store.js';

const policy: RetryPolicy = { maxRuns: 3, baseDelayMs: 1000, maxDelayMs: 3000 };
const seen = { key: 'https://a.example/x', url: 'https://a.example/x?utm=1', site: 'a', at: 1000, attempts: 1 };
const exported: Exported = { ...seen, runId: 'r1', etag: '"v1"', lastModified: null, contentHash: 'sha256:aa', articleId: 'id1', version: 1 };
const run = (run_id: string, started_at: number) => ({
  run_id, command: 'crawl', plan_hash: 'p', started_at, records_path: null, rejects_path: null, manifest_path: null, owner_pid: 1, owner_host: 'h',
});
const owner = (runId: string) => ({ runId, pid: 1, host: 'elsewhere', started: null, boot: null });

export function describeStateStoreContract(name: string, open: () => StateStore): void {
  describe(`StateStore contract: ${name}`, () => {
    it('markExported is an upsert by URL key: once more, the same row (attempts add up); a new version replaces it', () => {
      const s = open();
      s.markExported(exported);
      s.markExported(exported);
      expect(s.getUrl(seen.key)).toMatchObject({ status: 'exported', article_id: 'id1', version: 1, attempts: 2, exported_run: 'r1' });
      s.markExported({ ...exported, runId: 'r2', contentHash: 'sha256:bb', version: 2, at: 2000 });
      expect(s.getUrl(seen.key)).toMatchObject({ status: 'exported', version: 2, content_hash: 'sha256:bb', exported_run: 'r2', first_seen_at: 1000 });
    });

    it('an exported URL stays exported when a later fetch fails or finds nothing new', () => {
      const s = open();
      s.markExported(exported);
      expect(s.markFailed({ ...seen, at: 5000, code: 'HTTP_503', transient: true }, policy)).toBe('exported');
      s.markUnchanged({ ...seen, at: 6000, etag: null, lastModified: 'yesterday' });
      expect(s.getUrl(seen.key)).toMatchObject({ status: 'exported', etag: '"v1"', last_modified: 'yesterday', last_fetched_at: 6000 });
    });

    it('markFailed: transient failures wait base × 2^(runs−1), then are given up; final ones are rejected', () => {
      const s = open();
      const fail = (at: number) => s.markFailed({ ...seen, at, code: 'HTTP_503', transient: true }, policy);
      expect(fail(0)).toBe('failed');
      expect(s.getUrl(seen.key)?.next_retry_at).toBe(1000);
      expect(fail(10)).toBe('failed');
      expect(s.getUrl(seen.key)?.next_retry_at).toBe(2010);
      expect(fail(20)).toBe('gave_up');
      const other = { ...seen, key: 'k2', code: 'NOT_ARTICLE', transient: false };
      expect(s.markFailed(other, policy)).toBe('rejected');
      expect(s.getUrl('k2')).toMatchObject({ status: 'rejected', next_retry_at: null });
    });

    it('texts: the first article of a content hash is kept; urlWithArticle looks past the given key', () => {
      const s = open();
      s.addContent('h', 'id1', 'k1');
      s.addContent('h', 'id2', 'k2');
      expect(s.firstWithContent('h')).toEqual({ article_id: 'id1', url_key: 'k1' });
      expect(s.firstWithContent('other')).toBeUndefined();
      s.markExported(exported);
      expect(s.urlWithArticle('id1', 'k-other')).toEqual({ url_key: seen.key, url: seen.url, exported_run: 'r1' });
      expect(s.urlWithArticle('id1', seen.key)).toBeUndefined();
    });

    it('clusters: replaced per article, listed oldest first from `since`, signatures byte for byte', () => {
      const s = open();
      s.addCluster('a1', 'c1', new Uint8Array([1, 2]), 10);
      s.addCluster('a2', 'c1', new Uint8Array([3]), 20);
      s.addCluster('a1', 'c9', new Uint8Array([4, 5, 6]), 30);
      expect([...s.clusters()].map((c) => [c.article_id, c.cluster_id, [...c.signature]])).toEqual([['a2', 'c1', [3]], ['a1', 'c9', [4, 5, 6]]]);
      expect([...s.clusters(25)].map((c) => c.article_id)).toEqual(['a1']);
    });

    it('frontier: keys already there are ignored, pending is shallowest first then in order, done may repeat', () => {
      const s = open();
      s.addToFrontier('r1', [{ url_key: 'b', url: 'u-b', depth: 1, site: 's' }, { url_key: 'a', url: 'u-a', depth: 0, site: null }]);
      s.addToFrontier('r1', [{ url_key: 'b', url: 'changed', depth: 0, site: 's' }, { url_key: 'c', url: 'u-c', depth: 1, site: 's' }]);
      s.addToFrontier('r2', [{ url_key: 'a', url: 'u-a', depth: 0, site: null }]);
      expect(s.pendingFrontier('r1').map((i) => [i.url_key, i.url])).toEqual([['a', 'u-a'], ['b', 'u-b'], ['c', 'u-c']]);
      s.frontierDone('r1', 'b');
      s.frontierDone('r1', 'b');
      expect(s.pendingFrontier('r1').map((i) => i.url_key)).toEqual(['a', 'c']);
      expect(s.doneFrontier('r1')).toEqual(['b']);
      expect(s.doneFrontier('r2')).toEqual([]);
    });

    it('runs: begun running, found unfinished, ended with a summary; failRun changes only a running run and frees its locks', () => {
      const s = open();
      s.beginRun(run('r1', 100));
      s.beginRun(run('r2', 200));
      expect(s.unfinishedRun('crawl', 'p')?.run_id).toBe('r2');
      s.endRun('r2', 'done', 300, { exported: 3 });
      expect(s.getRun('r2')).toMatchObject({ status: 'done', ended_at: 300 });
      expect(JSON.parse(s.getRun('r2')!.summary!)).toEqual({ exported: 3 });
      expect(s.unfinishedRun('crawl', 'p')?.run_id).toBe('r1');
      expect(s.acquireSiteLocks(['news'], owner('r1'), 150).ok).toBe(true);
      expect(s.failRun('r1', 400, 'boom')).toBe(true);
      expect(s.failRun('r1', 500, 'again')).toBe(false);
      expect(s.getRun('r1')).toMatchObject({ status: 'failed', ended_at: 400, failure_reason: 'boom' });
      expect(s.siteLocks()).toEqual([]);
      expect(s.listRuns().map((r) => r.run_id)).toEqual(['r2', 'r1']);
      expect(s.listRuns('failed').map((r) => r.run_id)).toEqual(['r1']);
      s.beginRun(run('r1', 100));
      expect(s.getRun('r1')).toMatchObject({ status: 'running', ended_at: null, failure_reason: null });
    });

    it('site locks are all or nothing; the heartbeat refreshes the run and its locks', () => {
      const s = open();
      s.beginRun(run('r1', 100));
      expect(s.acquireSiteLocks(['b'], { ...owner('r1'), host: 'h-r1' }, 100, 60_000)).toEqual({ ok: true });
      const refused = s.acquireSiteLocks(['a', 'b', 'c'], owner('r2'), 110, 60_000);
      expect(refused).toMatchObject({ ok: false, heldBy: { site: 'b', run_id: 'r1' } });
      expect(s.siteLocks().map((l) => l.site)).toEqual(['b']);
      s.heartbeat('r1', 150);
      expect(s.getRun('r1')?.heartbeat_at).toBe(150);
      expect(s.siteLocks()[0]?.heartbeat_at).toBe(150);
      expect(s.acquireSiteLocks(['a', 'b'], owner('r2'), 150 + 60_001, 60_000)).toEqual({ ok: true });
    });

    it('transaction: all of its writes or none, the error rethrown; its value returned', () => {
      const s = open();
      expect(() => s.transaction(() => {
        s.markExported(exported);
        throw new Error('midway');
      })).toThrow('midway');
      expect(s.getUrl(seen.key)).toBeUndefined();
      expect(s.transaction(() => (s.markExported(exported), 42))).toBe(42);
      expect(s.getUrl(seen.key)?.status).toBe('exported');
    });

    it('exportedUrls: exported only, of the sites given, first seen in [since, until)', () => {
      const s = open();
      s.markExported({ ...exported, key: 'k1', url: 'u1', site: 'a', at: 1000 });
      s.markExported({ ...exported, key: 'k2', url: 'u2', site: 'b', at: 2000 });
      s.markExported({ ...exported, key: 'k3', url: 'u3', site: 'a', at: 3000 });
      s.markFailed({ ...seen, key: 'k4', url: 'u4', site: 'a', code: 'X', transient: false }, policy);
      expect(s.exportedUrls({ sites: [], since: null, until: null })).toEqual(['u1', 'u2', 'u3']);
      expect(s.exportedUrls({ sites: ['a'], since: new Date(1000), until: new Date(3000) })).toEqual(['u1']);
    });

    it('isOpen until closed; the heartbeat does not throw on a closed store, the next run write does', () => {
      const s = open();
      expect(s.isOpen()).toBe(true);
      s.close();
      expect(s.isOpen()).toBe(false);
      expect(() => s.heartbeat('r1', 1)).not.toThrow();
      expect(() => s.frontierDone('r1', 'k')).toThrow();
    });
  });
}
