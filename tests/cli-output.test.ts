/**
 * End to end: outputs that fail. stdout closed by its reader (`| head`) ends
 * quietly (141, no "internal error") and leaves no run behind; a full disk
 * stops the crawl at once with exit 74 and a line naming the file, and the
 * next run starts fresh; a path that cannot be written is refused before
 * anything is fetched.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteSite, articleFor, startRouteSite } from './helpers/route-site.js';
import { CLI, ROOT, runCli } from './helpers/run-cli.js';
import { mountTmpfs, tmpfsAvailable } from './helpers/tmpfs.js';

let tmp: string;
let site: RouteSite;
const PAGES = Array.from({ length: 120 }, (_, i) => `/story/${i}.html`);
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-output-'));
  site = await startRouteSite();
  site.articles(PAGES);
});
afterAll(async () => {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Run the CLI, read stdout up to the first line, then close the pipe as `| head -1` does. */
function runAndCloseAfterFirstLine(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, first: out.split('\n')[0]!, stderr }));
  });
}

const runRows = (db: string): Array<{ status: string }> => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT status FROM runs').all() as Array<{ status: string }>;
  } finally {
    d.close();
  }
};

describe.concurrent('stdout closed early', () => {
  it('`extract DIR | head -1` ends quietly with 141', async () => {
    const dir = join(tmp, 'pages');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 400; i++) writeFileSync(join(dir, `p${String(i).padStart(3, '0')}.html`), articleFor(`/p/${i}`));
    const r = await runAndCloseAfterFirstLine(['extract', dir]);
    expect(JSON.parse(r.first)).toHaveProperty('id');
    expect(r.stderr).not.toMatch(/internal error|EPIPE|at /);
    expect(r.code, r.stderr).toBe(141);
  });

  it('`scrape -o - | head -1` ends quietly with 141 and leaves no run to resume', async () => {
    const db = join(tmp, 'head.db');
    const settings = join(tmp, 'fast.json');
    writeFileSync(settings, JSON.stringify({ fetch: { perHost: { concurrency: 4, delayMs: 0 } } }));
    const urls = PAGES.slice(0, 60).map((p) => site.origin + p);
    const args = ['scrape', ...urls, '-o', '-', '--settings', settings, '--state', db, '--output-dir', join(tmp, 'head-out'), '--allow-private-networks', '--threads', '0', '--quiet'];
    const r = await runAndCloseAfterFirstLine(args);
    expect(r.code, r.stderr).toBe(141);
    expect(r.stderr).not.toMatch(/internal error|EPIPE/);
    expect(runRows(db).map((x) => x.status)).toEqual(['failed']);
    // The same command again is a new run, not a resume into the closed pipe.
    const again = await runCli([...args.slice(0, -1)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/resumed/);
  });
});

describe.concurrent('-o FILE', () => {
  it('appends for extract as for crawl and scrape', async () => {
    const dir = join(tmp, 'append-pages');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.html'), articleFor('/append/a'));
    const out = join(tmp, 'append.jsonl');
    for (let i = 0; i < 2; i++) expect((await runCli(['extract', dir, '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe.concurrent('outputs that cannot be written', () => {
  it('a file where a folder should be: exit 74 naming the path, before anything is fetched', async () => {
    const blocker = join(tmp, 'blocker');
    writeFileSync(blocker, 'not a folder');
    const r = await runCli(['scrape', `${site.origin}/never/1.html`, '-o', join(blocker, 'out.jsonl'), '--state', join(tmp, 'blk.db'), '--allow-private-networks', '--threads', '0', '--quiet']);
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^newsclean: OUTPUT_FAILED: cannot write .*blocker\/out\.jsonl: (ENOTDIR|EEXIST)/);
    expect(site.log.filter((l) => l.path.startsWith('/never/'))).toEqual([]);
    const dirRun = await runCli(['crawl', '-c', join(tmp, 'nosuch.yaml'), '--output-dir', blocker]);
    expect(dirRun.code).toBe(3); // the missing sources file is named first: configuration comes before output
  });

  it.skipIf(!tmpfsAvailable)('a read-only folder: exit 74 naming the path (EROFS), nothing fetched', async () => {
    const ro = join(tmp, 'ro');
    const unmount = mountTmpfs(ro, { sizeKb: 64, readOnly: true });
    try {
      const r = await runCli(['scrape', `${site.origin}/never/2.html`, '--output-dir', ro, '--state', join(tmp, 'ro.db'), '--allow-private-networks', '--threads', '0', '--quiet']);
      expect(r.code, r.stderr).toBe(74);
      expect(r.stderr).toMatch(/OUTPUT_FAILED: cannot write .*\/ro\/.*EROFS/);
      expect(site.log.filter((l) => l.path.startsWith('/never/'))).toEqual([]);
    } finally {
      unmount();
    }
  });

  it.skipIf(!tmpfsAvailable)('disk full mid-run: the crawl stops at once (exit 74), the run is marked failed, the next run starts fresh', async () => {
    const own = await startRouteSite(); // its request log is this test's alone
    own.articles(PAGES);
    const full = join(tmp, 'full');
    const unmount = mountTmpfs(full, { sizeKb: 24 });
    const sources = join(tmp, 'full.yaml');
    writeFileSync(sources, `defaults: { per_host: { concurrency: 1, delay_ms: 40 } }\nsites:\n  - name: big\n    sitemaps: ["${own.origin}/sitemap.xml"]\n`);
    const db = join(tmp, 'full.db');
    try {
      const before = own.log.length;
      const r = await runCli(['crawl', '-c', sources, '--output-dir', full, '--state', db, '--allow-private-networks', '--threads', '0', '--quiet']);
      const fetched = own.log.length - before;
      expect(r.code, r.stderr).toBe(74);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^newsclean: OUTPUT_FAILED: cannot write .*\/full\/.*ENOSPC/);
      expect(fetched).toBeLessThan(PAGES.length / 2); // it did not go on fetching the rest of the site for nobody
      await new Promise((res) => setTimeout(res, 300));
      expect(own.log.length - before).toBe(fetched); // and nothing is still running after the exit
      expect(runRows(db).map((x) => x.status)).toEqual(['failed']);
    } finally {
      unmount();
    }
    const next = await runCli(['crawl', '-c', sources, '--output-dir', join(tmp, 'roomy'), '--state', db, '--allow-private-networks', '--threads', '0', '--quiet', '--max-articles', '3']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/resumed/);
    const manifest = JSON.parse(readFileSync(next.stderr.match(/\((.+\.manifest\.json)\)/)![1]!, 'utf8')) as { resumed: boolean };
    expect(manifest.resumed).toBe(false);
    await own.close();
  });

  it('the records file deleted mid-run: the run stops (exit 74, the file named) instead of exporting into a deleted file', async () => {
    const own = await startRouteSite();
    own.articles(PAGES.slice(0, 40));
    const sources = join(tmp, 'deleted.yaml');
    writeFileSync(sources, `defaults: { per_host: { concurrency: 1, delay_ms: 60 } }\nsites:\n  - name: del\n    sitemaps: ["${own.origin}/sitemap.xml"]\n`);
    const out = join(tmp, 'deleted.jsonl');
    const running = runCli(['crawl', '-c', sources, '-o', out, '--state', join(tmp, 'deleted.db'), '--allow-private-networks', '--threads', '0', '--quiet']);
    while (!existsSync(out) || readFileSync(out, 'utf8').split('\n').length < 4) await new Promise((r) => setTimeout(r, 20));
    rmSync(out);
    const r = await running;
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/OUTPUT_FAILED: cannot write .*deleted\.jsonl: .*deleted while the run was writing it/);
    expect(own.log.filter((l) => l.path.startsWith('/story/')).length).toBeLessThan(30);
    await own.close();
  });
});
