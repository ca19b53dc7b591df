import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { openState } from '../../src/state/store.js';
import { trackStateStores } from '../helpers/state-stores.js';

const policy = { maxRuns: 3, baseDelayMs: 1000, maxDelayMs: 3000 };
const seen = { key: 'https://a.example/x', url: 'https://a.example/x?utm_source=z', site: 'a', at: 1000, attempts: 1 };
const exported = { ...seen, runId: 'r1', etag: '"v1"', lastModified: null, contentHash: 'sha256:aa', articleId: 'id1', version: 1 };

const { open, tempDir } = trackStateStores('nc-state-');

describe('openState', () => {
  it('creates the file and its directory, in WAL mode, at the latest schema', () => {
    const dir = tempDir();
    const s = open(join(dir, 'deep', 'state.db'));
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('keeps data across reopen and does not re-run migrations', () => {
    const dir = tempDir();
    const path = join(dir, 'state.db');
    const a = open(path);
    a.markExported(exported);
    a.close();
    const b = open(path);
    expect(b.getUrl(seen.key)?.article_id).toBe('id1');
  });

  it('upgrades a store made by an older schema in place, keeping its rows', () => {
    const dir = tempDir();
    const path = join(dir, 'state.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO runs (run_id, command, plan_hash, status, started_at) VALUES ('old', 'crawl', 'p', 'running', 1)").run();
    raw.close();
    const s = open(path);
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    expect(s.getRun('old')).toMatchObject({ run_id: 'old', status: 'running', owner_pid: null, owner_host: null });
  });

  it('refuses a store whose schema is newer than this code, with a coded error', () => {
    const dir = tempDir();
    const path = join(dir, 'state.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openState(path)).toThrow(expect.objectContaining({ code: 'STATE_UNAVAILABLE' }));
  });

  it('reports an unusable path as STATE_UNAVAILABLE', () => {
    const dir = tempDir();
    expect(() => openState(dir)).toThrow(expect.objectContaining({ code: 'STATE_UNAVAILABLE' }));
  });
});

describe('URLs', () => {
  it('records an export and a later version of it', () => {
    const s = open();
    s.markExported(exported);
    s.markExported({ ...exported, runId: 'r2', at: 2000, contentHash: 'sha256:bb', version: 2, etag: '"v2"' });
    const row = s.getUrl(seen.key)!;
    expect(row).toMatchObject({ status: 'exported', version: 2, content_hash: 'sha256:bb', etag: '"v2"', exported_run: 'r2', attempts: 2, first_seen_at: 1000, last_fetched_at: 2000 });
  });

  it('an unchanged revisit refreshes dates and validators only', () => {
    const s = open();
    s.markExported(exported);
    s.markUnchanged({ ...seen, at: 5000, etag: null, lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    expect(s.getUrl(seen.key)).toMatchObject({ version: 1, content_hash: 'sha256:aa', etag: '"v1"', last_modified: 'Tue, 01 Dec 2026 10:00:00 GMT', last_fetched_at: 5000 });
  });

  it('a final reject is rejected with its code, a transient one waits with growing back-off, then is given up', () => {
    const s = open();
    expect(s.markFailed({ ...seen, key: 'k404', code: 'HTTP_404', transient: false }, policy)).toBe('rejected');
    expect(s.getUrl('k404')).toMatchObject({ status: 'rejected', last_code: 'HTTP_404', next_retry_at: null });

    expect(s.markFailed({ ...seen, code: 'FETCH_TIMEOUT', transient: true }, policy)).toBe('failed');
    expect(s.getUrl(seen.key)).toMatchObject({ failed_runs: 1, next_retry_at: 1000 + 1000 });
    expect(s.markFailed({ ...seen, at: 3000, code: 'HTTP_503', transient: true }, policy)).toBe('failed');
    expect(s.getUrl(seen.key)).toMatchObject({ failed_runs: 2, next_retry_at: 3000 + 2000, last_code: 'HTTP_503' });
    expect(s.markFailed({ ...seen, at: 9000, code: 'HTTP_503', transient: true }, policy)).toBe('gave_up');
    expect(s.getUrl(seen.key)).toMatchObject({ status: 'gave_up', failed_runs: 3, next_retry_at: null });
  });

  it('a success resets the failure count', () => {
    const s = open();
    s.markFailed({ ...seen, code: 'FETCH_TIMEOUT', transient: true }, policy);
    s.markExported(exported);
    expect(s.getUrl(seen.key)).toMatchObject({ status: 'exported', failed_runs: 0, next_retry_at: null, last_code: null });
  });

  it('an exported article that later fails stays exported', () => {
    const s = open();
    s.markExported(exported);
    expect(s.markFailed({ ...seen, code: 'HTTP_404', transient: false }, policy)).toBe('exported');
    expect(s.getUrl(seen.key)).toMatchObject({ status: 'exported', version: 1, last_code: 'HTTP_404' });
  });
});

describe('exportedUrls (recrawl --site / --since / --until)', () => {
  it('selects exported URLs by site and first-seen time, oldest first', () => {
    const s = open();
    const mk = (key: string, site: string, at: number) => s.markExported({ ...exported, key, url: key, site, at });
    mk('https://a/1', 'a', 1000);
    mk('https://a/2', 'a', 3000);
    mk('https://b/1', 'b', 2000);
    s.markFailed({ ...seen, key: 'https://a/3', url: 'https://a/3', site: 'a', at: 2500, code: 'HTTP_404', transient: false }, policy);
    expect(s.exportedUrls({ sites: [], since: null, until: null })).toEqual(['https://a/1', 'https://b/1', 'https://a/2']);
    expect(s.exportedUrls({ sites: ['a'], since: null, until: null })).toEqual(['https://a/1', 'https://a/2']);
    expect(s.exportedUrls({ sites: [], since: new Date(1500), until: new Date(3000) })).toEqual(['https://b/1']);
    expect(s.exportedUrls({ sites: ['a', 'b'], since: new Date(2000), until: null })).toEqual(['https://b/1', 'https://a/2']);
  });
});

describe('contents and clusters', () => {
  it('remembers the first article with a text', () => {
    const s = open();
    s.addContent('sha256:aa', 'id1', 'k1');
    s.addContent('sha256:aa', 'id2', 'k2');
    expect(s.firstWithContent('sha256:aa')).toEqual({ article_id: 'id1', url_key: 'k1' });
    expect(s.firstWithContent('sha256:zz')).toBeUndefined();
  });

  it('round-trips cluster signatures in insertion order', () => {
    const s = open();
    s.addCluster('a', 'a', new Uint8Array(new Uint32Array([1, 2, 3]).buffer), 1);
    s.addCluster('b', 'a', new Uint8Array(new Uint32Array([4, 5, 6]).buffer), 2);
    const rows = [...s.clusters()];
    expect(rows.map((r) => [r.article_id, r.cluster_id])).toEqual([['a', 'a'], ['b', 'a']]);
    expect([...s.clusters(2)].map((r) => r.article_id)).toEqual(['b']); // the comparison window
    expect([...new Uint32Array(new Uint8Array(rows[1]!.signature).buffer)]).toEqual([4, 5, 6]);
  });
});

describe('runs and frontier', () => {
  const run = { run_id: 'r1', command: 'crawl', plan_hash: 'p', started_at: 1, records_path: 'o.jsonl', rejects_path: 'o.rejects.jsonl', manifest_path: 'o.manifest.json', owner_pid: null, owner_host: null };

  it('finds the unfinished run of the same command and plan only', () => {
    const s = open();
    s.beginRun(run);
    expect(s.unfinishedRun('crawl', 'p')?.run_id).toBe('r1');
    expect(s.unfinishedRun('crawl', 'other')).toBeUndefined();
    expect(s.unfinishedRun('scrape', 'p')).toBeUndefined();
    s.endRun('r1', 'done', 5, { articles: 3 });
    expect(s.unfinishedRun('crawl', 'p')).toBeUndefined();
    expect(JSON.parse(s.getRun('r1')!.summary!)).toEqual({ articles: 3 });
  });

  it('keeps the frontier in discovery order and returns what is not done', () => {
    const s = open();
    s.beginRun(run);
    const items = ['c', 'a', 'b'].map((k, i) => ({ url_key: k, url: `https://x/${k}`, depth: i === 0 ? 0 : 1, site: 'x' }));
    s.addToFrontier('r1', items);
    s.addToFrontier('r1', [items[1]!]); // again: ignored
    s.frontierDone('r1', 'a');
    expect(s.pendingFrontier('r1').map((i) => i.url_key)).toEqual(['c', 'b']);
    expect(s.doneFrontier('r1')).toEqual(['a']);
    expect(s.pendingFrontier('other')).toEqual([]);
  });
});
