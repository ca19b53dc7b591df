/**
 * End to end: a run that died must never wedge later runs. A killed run whose
 * reject line was written but not yet remembered in the state is resumed
 * cleanly (the line adopted once, no crash).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteSite, startRouteSite } from './helpers/route-site.js';
import { jsonLines, runCli } from './helpers/run-cli.js';

let tmp: string;
let site: RouteSite;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-recovery-'));
  site = await startRouteSite();
});
afterAll(async () => {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A pid that belonged to a process which has exited (and been reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout as unknown as number;

const files = (dir: string, suffix: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f));

describe('resume', () => {
  it('a killed run whose reject line was written but not remembered resumes: the line is adopted once, exit 0 (was 70)', async () => {
    site.articles(['/r/1.html', '/r/2.html']);
    site.sitemap(['/r/1.html', '/r/2.html', '/r/dead.html']);
    const sources = join(tmp, 'sources.yaml');
    writeFileSync(sources, `defaults: { per_host: { delay_ms: 0 } }\nsites:\n  - name: r\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);
    const db = join(tmp, 'state.db');
    const out = join(tmp, 'out');
    const args = ['crawl', '-c', sources, '--state', db, '--output-dir', out, '--allow-private-networks', '--threads', '0', '--quiet'];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);

    // Put the state back to the moment between "reject line written" and "reject remembered", owned by a dead process.
    const dead = `${site.origin}/r/dead.html`;
    const d = new Database(db);
    d.prepare("UPDATE runs SET status = 'running', ended_at = NULL, owner_pid = ?, owner_host = ?").run(Number(deadPid()), hostname());
    d.prepare('UPDATE frontier SET done = 0 WHERE url_key = ?').run(dead);
    expect(d.prepare('DELETE FROM urls WHERE url_key = ?').run(dead).changes).toBe(1);
    d.close();

    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resumed/);
    const rejects = files(out, '.rejects.jsonl').flatMap((f) => jsonLines(readFileSync(f, 'utf8')) as Array<{ url: string; code: string }>);
    expect(rejects.filter((r) => r.url === dead)).toEqual([expect.objectContaining({ code: 'HTTP_404' })]);
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT status, last_code FROM urls WHERE url_key = ?').get(dead)).toEqual({ status: 'rejected', last_code: 'HTTP_404' });
    expect(check.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'done' }]);
    check.close();
  });

  it('a crawl whose pages are all deferred ends cleanly with worker threads (the pool never starts), exit 0', async () => {
    const down = await startRouteSite();
    const paths = ['/d/1.html', '/d/2.html', '/d/3.html'];
    down.articles(paths);
    for (const p of paths) down.routes.set(p, { status: 503, body: 'busy', type: 'text/plain' });
    const sources = join(tmp, 'deferred.yaml');
    writeFileSync(sources, `defaults: { per_host: { delay_ms: 0 }, retries: { limit: 0 } }\nsites:\n  - name: d\n    sitemaps: ["${down.origin}/sitemap.xml"]\n`);
    const args = ['crawl', '-c', sources, '--state', join(tmp, 'deferred.db'), '--output-dir', join(tmp, 'deferred-out'), '--allow-private-networks', '--threads', '2'];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(1); // every page failed (503)
    for (let i = 0; i < 3; i++) {
      const r = await runCli(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/newsclean crawl: 0 articles, 0 rejects, 3 deferred/);
    }
    await down.close();
  });

  it('a run whose recorded owner pid now belongs to another process (pid reused) is taken over, not refused with exit 5', async () => {
    const s2 = await startRouteSite();
    s2.articles(['/p/1.html', '/p/2.html']);
    const sources = join(tmp, 'reuse.yaml');
    writeFileSync(sources, `defaults: { per_host: { delay_ms: 0 } }\nsites:\n  - name: p\n    sitemaps: ["${s2.origin}/sitemap.xml"]\n`);
    const db = join(tmp, 'reuse.db');
    const args = ['crawl', '-c', sources, '--state', db, '--output-dir', join(tmp, 'reuse-out'), '--allow-private-networks', '--threads', '0', '--quiet'];
    expect((await runCli(args)).code).toBe(0);
    // The run looks unfinished, owned by a live pid (this test process) whose start time is not the recorded one.
    const d = new Database(db);
    d.prepare("UPDATE runs SET status = 'running', ended_at = NULL, owner_pid = ?, owner_host = ?, owner_started = 1, heartbeat_at = ?").run(process.pid, hostname(), Date.now());
    d.close();
    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resumed/);
    await s2.close();
  });
});

describe('site locks', () => {
  it('a second crawl of a site that is being crawled, with other flags, exits 5 naming the site; with --lock-wait it waits, then finds nothing left to fetch', async () => {
    const slow = await startRouteSite();
    const paths = Array.from({ length: 12 }, (_, i) => `/s/${i}.html`);
    slow.articles(paths);
    const sources = join(tmp, 'locks.yaml');
    writeFileSync(sources, `defaults: { per_host: { delay_ms: 150 } }\nsites:\n  - name: slowsite\n    sitemaps: ["${slow.origin}/sitemap.xml"]\n`);
    const common = ['-c', sources, '--state', join(tmp, 'locks.db'), '--output-dir', join(tmp, 'locks-out'), '--allow-private-networks', '--threads', '0', '--quiet'];
    const first = runCli(['crawl', ...common]);
    while (!slow.log.some((l) => l.path.startsWith('/s/'))) await new Promise((r) => setTimeout(r, 20));
    const second = await runCli(['crawl', ...common, '--max-articles', '50']);
    expect(second.code, second.stderr).toBe(5);
    expect(second.stderr.trim().split('\n').at(-1)).toMatch(/^newsclean: RUN_IN_PROGRESS: site slowsite is being crawled by run crawl-\S+ \(process \d+ on /);
    const waiting = runCli(['crawl', ...common, '--max-articles', '40', '--lock-wait', '30']);
    expect((await first).code).toBe(0);
    const third = await waiting;
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/0 articles, 0 rejects, 12 already known/);
    const pageFetches = slow.log.filter((l) => l.path.startsWith('/s/')).map((l) => l.path);
    expect(pageFetches.sort()).toEqual([...paths].sort()); // each page fetched once across the three processes
    await slow.close();
  });
});
