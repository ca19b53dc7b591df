/** `newsclean state stats|export|runs|prune` on a store filled through the store API. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootId, ownerOf } from '../src/state/liveness.js';
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

describe('newsclean state on a missing store', () => {
  it.each([
    ['stats'],
    ['export', '--table', 'runs'],
    ['runs'],
    ['runs', '--clear', 'some-run'],
    ['prune', '--older-than', '30d'],
  ].map((args) => [args.join(' '), args] as const))('state %s refuses it (exit 4, one line naming the path) and creates nothing', async (_name, args) => {
    const typo = join(dir, 'typo', 'stat.db');
    const r = await runCli(['state', ...args, '--state', typo]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`newsclean: STATE_UNAVAILABLE: state store ${typo} does not exist (crawl, scrape and recrawl create it; check the path)\n`);
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('a 0-byte store is refused, not emptied into a new one', async () => {
    const empty = join(dir, 'zero.db');
    writeFileSync(empty, '');
    const r = await runCli(['state', 'stats', '--state', empty]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^newsclean: STATE_UNAVAILABLE: state store .*zero\.db is an empty \(0-byte\) file.*delete it to start afresh.*\n$/);
    expect(statSync(empty).size).toBe(0);
  });
});

describe('newsclean state runs', () => {
  it('lists runs with owner and liveness; --clear marks a dead one failed and frees its locks; a live one needs --force', async () => {
    const runsDb = join(dir, 'runs.db');
    const s = openState(runsDb);
    const dead = spawn('true');
    await new Promise((r) => dead.on('close', r));
    const base = { command: 'crawl', plan_hash: 'p', records_path: 'r.jsonl', rejects_path: null, manifest_path: 'm.json', owner_host: hostname() };
    const me = ownerOf();
    s.beginRun({ ...base, run_id: 'crawl-dead', started_at: Date.now() - 60_000, owner_pid: dead.pid!, owner_started: 1, owner_boot: me.boot });
    s.heartbeat('crawl-dead', Date.now() - 50_000);
    s.acquireSiteLocks(['news'], { runId: 'crawl-dead', pid: dead.pid!, host: hostname(), started: 1, boot: me.boot }, Date.now() - 50_000);
    s.beginRun({ ...base, run_id: 'crawl-live', started_at: Date.now(), owner_pid: me.pid, owner_started: me.started, owner_boot: me.boot });
    s.heartbeat('crawl-live', Date.now());
    s.close();

    const list = await runCli(['state', 'runs', '--json', '--state', runsDb]);
    expect(list.code, list.stderr).toBe(0);
    const runs = jsonLines(list.stdout) as Array<{ runId: string; alive: boolean; sites: string[]; ownerPid: number }>;
    // The test process owns crawl-live; the dead child's pid is free (or someone else's now).
    expect(runs.map((r) => [r.runId, r.alive, r.sites])).toEqual([
      ['crawl-live', bootId() !== null, []],
      ['crawl-dead', false, ['news']],
    ]);
    const table = await runCli(['state', 'runs', '--status', 'running', '--state', runsDb]);
    expect(table.stdout).toMatch(/^run\s+command\s+status/);
    expect(table.stdout).toMatch(/crawl-dead\s+crawl\s+running\s+\S+\s+\d+@\S+\s+5\ds\s+no/);

    const clear = await runCli(['state', 'runs', '--clear', 'crawl-dead', '--state', runsDb]);
    expect(clear.code, clear.stderr).toBe(0);
    expect(JSON.parse(clear.stdout)).toMatchObject({ runId: 'crawl-dead', previousStatus: 'running', ownerWasAlive: false, locksReleased: 1 });

    if (bootId() !== null) {
      const refused = await runCli(['state', 'runs', '--clear', 'crawl-live', '--state', runsDb]);
      expect(refused.code).toBe(5);
      expect(refused.stderr).toMatch(/^newsclean: RUN_IN_PROGRESS: run crawl-live is still going as process \d+ on .*--force\n$/);
      const forced = await runCli(['state', 'runs', '--clear', 'crawl-live', '--force', '--state', runsDb]);
      expect(forced.code, forced.stderr).toBe(0);
    }
    const after = await runCli(['state', 'runs', '--status', 'failed', '--json', '--state', runsDb]);
    expect((jsonLines(after.stdout) as Array<{ runId: string }>).map((r) => r.runId)).toContain('crawl-dead');
    const check = openState(runsDb);
    expect(check.siteLocks()).toEqual([]);
    expect(check.getRun('crawl-dead')?.status).toBe('failed');
    check.close();
  });

  it('--clear of an unknown run, or --force without --clear, is a usage error', async () => {
    const r = await runCli(['state', 'runs', '--clear', 'nope', '--state', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/USAGE: state runs --clear: no run nope/);
    const f = await runCli(['state', 'runs', '--force', '--state', path]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/USAGE: state runs: --force goes with --clear RUN_ID/);
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
      const common = ['--allow-private-networks', '--threads', '0', '--state', state, '--output-dir', join(dir, 'recrawl-out')];
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
