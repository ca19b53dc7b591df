/** `newsclean state stats|export|prune` on a store filled through the store API. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../src/state/store.js';
import { jsonLines, runCli } from './helpers/run-cli.js';

let dir: string;
let path: string;
const DAY = 86_400_000;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nc-cli-state-'));
  path = join(dir, 'state.db');
  const s = openState(path);
  const old = Date.now() - 90 * DAY;
  const policy = { maxRuns: 1, baseDelayMs: 0, maxDelayMs: 0 };
  s.markExported({ key: 'https://a.example/1', url: 'https://a.example/1', site: 'a', at: old, attempts: 1, runId: 'r1', etag: null, lastModified: null, contentHash: 'sha256:1', articleId: 'id1', version: 1 });
  s.markExported({ key: 'https://a.example/2', url: 'https://a.example/2', site: 'a', at: old, attempts: 1, runId: 'r1', etag: null, lastModified: null, contentHash: 'sha256:2', articleId: 'id2', version: 1 });
  s.markFailed({ key: 'https://b.example/x', url: 'https://b.example/x', site: 'b', at: old, attempts: 1, code: 'HTTP_404', transient: false }, policy);
  s.markFailed({ key: 'https://b.example/y', url: 'https://b.example/y', site: 'b', at: old, attempts: 4, code: 'FETCH_TIMEOUT', transient: true }, policy);
  s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('newsclean state', () => {
  it('stats --json counts URLs by status and site', async () => {
    const r = await runCli(['state', 'stats', '--json', '--state', path]);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(JSON.stringify(stats)).toContain('gave_up');
    expect(stats.urls.byStatus).toMatchObject({ exported: 2, rejected: 1, gave_up: 1 });
  });

  it('stats prints a table for people', async () => {
    const r = await runCli(['state', 'stats', '--state', path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/exported\s+2/);
  });

  it('export writes one JSON line per row, filtered by status', async () => {
    const r = await runCli(['state', 'export', '--status', 'exported', '--state', path]);
    expect(r.code, r.stderr).toBe(0);
    const rows = jsonLines(r.stdout) as Array<{ url: string; last_fetched_at: string }>;
    expect(rows.map((x) => x.url).sort()).toEqual(['https://a.example/1', 'https://a.example/2']);
    expect(rows[0]!.last_fetched_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('prune --dry-run counts old rejected and given-up URLs and deletes nothing; prune deletes them, keeps exported ones', async () => {
    const dry = await runCli(['state', 'prune', '--older-than', '30d', '--dry-run', '--state', path]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true });
    const real = await runCli(['state', 'prune', '--older-than', '30d', '--state', path]);
    expect(real.code, real.stderr).toBe(0);
    const s = openState(path);
    expect(s.getUrl('https://b.example/x')).toBeUndefined();
    expect(s.getUrl('https://b.example/y')).toBeUndefined();
    expect(s.getUrl('https://a.example/1')?.status).toBe('exported');
    s.close();
  });

  it('a bad --older-than is a usage error (exit 2)', async () => {
    const r = await runCli(['state', 'prune', '--older-than', 'last spring', '--state', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--older-than/);
  });
});

describe('newsclean recrawl', () => {
  it('with nothing to re-crawl is a usage error', async () => {
    const r = await runCli(['recrawl', '--state', join(dir, 'empty.db'), '--output-dir', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/USAGE: recrawl: nothing to re-crawl/);
  });

  it('--from a missing file is a usage error', async () => {
    const r = await runCli(['recrawl', '--from', join(dir, 'nope.jsonl'), '--state', join(dir, 'empty.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from: no such file/);
  });
});

describe('newsclean recrawl --from', () => {
  it('re-fetches the pages of an earlier run: unchanged text gives no record, --force exports them again', async () => {
    const { startNewsSite, articlePage } = await import('./helpers/news-site.js');
    const site = await startNewsSite();
    try {
      const para = (n: number) => Array.from({ length: 4 }, (_, i) => `Paragraph ${i} of story ${n}: the regional council discussed the new water plan for the valley towns, and residents asked about costs, dates and the works on the main road near the old mill.`);
      site.pages.set('/a.html', articlePage('Story A', para(1)));
      site.pages.set('/b.html', articlePage('Story B', para(2)));
      const state = join(dir, 'recrawl.db');
      const first = join(dir, 'first.jsonl');
      const common = ['--allow-private-networks', '--threads', '0', '--state', state];
      const s = await runCli(['scrape', `${site.origin}/a.html`, `${site.origin}/b.html`, '-o', first, ...common]);
      expect(s.code, s.stderr).toBe(0);
      site.log.length = 0;
      const again = await runCli(['recrawl', '--from', first, '-o', join(dir, 'again.jsonl'), ...common]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/0 articles, 0 rejects, 2 unchanged/);
      expect(site.log.filter((l) => l.path.endsWith('.html')).every((l) => !l.conditional)).toBe(true); // re-extract: no validators
      const forced = await runCli(['recrawl', '--from', first, '--force', '-o', '-', ...common]);
      expect(forced.code, forced.stderr).toBe(0);
      expect((jsonLines(forced.stdout) as Array<{ title: string }>).map((r) => r.title).sort()).toEqual(['Story A', 'Story B']);
    } finally {
      await site.close();
    }
  });
});
