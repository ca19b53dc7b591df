/**
 * Running unattended, seen from outside: `newsclean crawl` in a child process
 * stopped by SIGTERM / SIGINT (graceful stop, grace period, second signal),
 * its stderr off a terminal (JSON lines only), and its exit status against
 * the failure-rate threshold.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewsSite, articlePage, startNewsSite } from './helpers/news-site.js';
import { CLI, ROOT, jsonLines } from './helpers/run-cli.js';
import { validateRecord } from './helpers/validate-record.js';

const PAGES = 24;
const paragraphs = (n: number): string[] =>
  [0, 1, 2].map((i) => `Report ${n}.${i}: the district council met on day ${n * 5 + i} to discuss the new bridge, the school budget and the bus timetable, and members asked for figures on item ${n}-${i} before the next vote in ${n + i + 2} weeks.`);

let site: NewsSite;
let dir: string;
beforeAll(async () => {
  site = await startNewsSite({ delayMs: 60 });
  for (let n = 1; n <= PAGES; n++) site.pages.set(`/news/report-${n}.html`, articlePage(`Council report ${n}`, paragraphs(n)));
  site.pages.set('/news/missing-body.html', '<html><body><nav>Home</nav></body></html>');
  dir = mkdtempSync(join(tmpdir(), 'nc-signals-'));
  writeFileSync(join(dir, 'sources.yaml'), `defaults: { per_host: { concurrency: 1, delay_ms: 0 } }\nsites:\n  - name: council\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Child { child: ChildProcess; stderr: () => string; exit: Promise<{ code: number | null; signal: string | null; ms: number }> }

function start(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.resume();
  const t0 = Date.now();
  const exit = new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, ms: Date.now() - t0 })));
  return { child, stderr: () => stderr, exit };
}

const crawlArgs = (out: string, sources = join(dir, 'sources.yaml')): string[] =>
  ['crawl', '-c', sources, '--allow-private-networks', '--threads', '0', '--state', join(out, 'state.db'), '--output-dir', out];

function runFiles(out: string, kind: 'records' | 'manifest'): string[] {
  const files: string[] = [];
  for (const day of existsSync(out) ? readdirSync(out, { withFileTypes: true }) : []) {
    if (!day.isDirectory()) continue;
    for (const f of readdirSync(join(out, day.name))) {
      const isManifest = f.endsWith('.manifest.json');
      const isRecords = f.endsWith('.jsonl') && !f.includes('.rejects.');
      if ((kind === 'manifest' && isManifest) || (kind === 'records' && isRecords)) files.push(join(out, day.name, f));
    }
  }
  return files;
}

const recordsIn = (out: string): Array<{ url: string }> => runFiles(out, 'records').flatMap((f) => jsonLines(readFileSync(f, 'utf8')) as Array<{ url: string }>);

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A site whose robots.txt and sitemap answer but whose pages never do. */
async function hangingSite(): Promise<{ origin: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    if (req.url === '/sitemap.xml') {
      const urls = [1, 2, 3].map((n) => `<url><loc>http://${req.headers.host}/slow/${n}.html</loc></url>`).join('');
      return res.writeHead(200, { 'content-type': 'application/xml' }).end(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`);
    }
    requests++; // and never answer
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests: () => requests, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** A sources file for the hanging site: three pages at once, no retries. */
function hangSources(origin: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, `defaults: { per_host: { concurrency: 3, delay_ms: 0 }, retries: { limit: 0 } }\nsites:\n  - name: hang\n    sitemaps: ["${origin}/sitemap.xml"]\n`);
  return file;
}

describe('graceful stop', () => {
  it('SIGTERM: pages in flight are written, the run exits 143 as interrupted, and the same command resumes it to every article once', async () => {
    const out = join(dir, 'term');
    const run = start(crawlArgs(out));
    await until(() => recordsIn(out).length >= 4);
    run.child.kill('SIGTERM');
    const stopped = await run.exit;
    expect(stopped.code, run.stderr()).toBe(143);
    expect(run.stderr()).toMatch(/interrupted \(the same command resumes it\)/);
    const partial = recordsIn(out);
    expect(partial.length).toBeGreaterThanOrEqual(4);
    expect(partial.length).toBeLessThan(PAGES);
    for (const r of partial) expect(validateRecord(r)).toEqual([]); // whole lines only: nothing torn
    const [manifest] = runFiles(out, 'manifest');
    const m = JSON.parse(readFileSync(manifest!, 'utf8')) as { status: string; counts: { articles: number }; summary: { status: string } };
    expect(m.status).toBe('interrupted');
    expect(m.summary.status).toBe('interrupted');
    expect(m.counts.articles).toBe(partial.length);

    const again = start(crawlArgs(out));
    const finished = await again.exit;
    expect(finished.code, again.stderr()).toBe(0);
    expect(again.stderr()).toMatch(/resumed/);
    const urls = recordsIn(out).map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length); // nothing twice
    expect(urls).toHaveLength(PAGES); // nothing lost
  });

  it('the grace period bounds the stop: pages that never answer do not hold the process', async () => {
    const hang = await hangingSite();
    try {
      const sources = hangSources(hang.origin, 'hang.yaml');
      const run = start(crawlArgs(join(dir, 'grace'), sources), { NEWSCLEAN_RUN_GRACE_MS: '400' });
      await until(() => hang.requests() >= 1);
      const t0 = Date.now();
      run.child.kill('SIGTERM');
      const { code } = await run.exit;
      expect(code).toBe(143);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(run.stderr()).toMatch(/grace period over/);
    } finally {
      await hang.close();
    }
  });

  it('a second signal exits at once, whatever the grace period', async () => {
    const hang = await hangingSite();
    try {
      const sources = hangSources(hang.origin, 'hang2.yaml');
      const run = start(crawlArgs(join(dir, 'twice'), sources), { NEWSCLEAN_RUN_GRACE_MS: '60000' });
      await until(() => hang.requests() >= 1);
      run.child.kill('SIGINT');
      await until(() => /stopping: no new URLs/.test(run.stderr()));
      const t0 = Date.now();
      run.child.kill('SIGINT');
      const { code } = await run.exit;
      expect(code).toBe(130); // 128 + SIGINT
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(run.stderr()).toMatch(/second signal: exiting now/);
    } finally {
      await hang.close();
    }
  });
});

describe('off a terminal', () => {
  it('stderr is JSON lines (progress lines, a run summary, coded debug lines with run_id, site, stage, url) then the one-line summary', async () => {
    const out = join(dir, 'json');
    const run = start([...crawlArgs(out), '--log-level', 'debug'], { NEWSCLEAN_LOG_PROGRESS_INTERVAL_MS: '100' });
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const lines = run.stderr().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^newsclean crawl: 24 articles, 1 rejects, [\d.]+ s \(.+\.manifest\.json\)$/);
    const logs = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    const progress = logs.filter((l) => l['msg'] === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]!['progress']).toMatchObject({ discovered: expect.any(Number), exported: expect.any(Number), pages_per_s: expect.any(Number) });
    const reject = logs.find((l) => l['code'] === 'NOT_AN_ARTICLE');
    expect(reject).toMatchObject({ run_id: expect.stringMatching(/^crawl-/), site: 'council', stage: expect.any(String), url: `${site.origin}/news/missing-body.html` });
    const summary = logs.find((l) => l['msg'] === 'run summary') as { summary: { by_host: Record<string, { fetched: number; articles: number }>; by_code: Record<string, number>; bytes: number; fetch_ms: { p50: number } } };
    const host = new URL(site.origin).host;
    expect(summary.summary.by_host[host]).toMatchObject({ articles: 24, fetched: 26 }); // 25 pages + the sitemap
    expect(summary.summary.by_code).toEqual({ NOT_AN_ARTICLE: 1 });
    expect(summary.summary.bytes).toBeGreaterThan(24 * 500);
    expect(summary.summary.fetch_ms.p50).toBeGreaterThanOrEqual(50); // the site answers after 60 ms
  });

  it('--quiet: only the one-line summary', async () => {
    const run = start([...crawlArgs(join(dir, 'quiet')), '--quiet'], { NEWSCLEAN_LOG_PROGRESS_INTERVAL_MS: '50' });
    expect((await run.exit).code).toBe(0);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
  });
});

describe('exit status', () => {
  it('1 when the failure rate passes run.maxFailureRate (rejects such as NOT_AN_ARTICLE do not count), 0 under it', async () => {
    const urls = [`${site.origin}/news/report-1.html`, `${site.origin}/gone-1.html`, `${site.origin}/gone-2.html`, `${site.origin}/gone-3.html`, `${site.origin}/news/missing-body.html`];
    const args = (db: string): string[] => ['scrape', ...urls, '--allow-private-networks', '--threads', '0', '--state', join(dir, db), '--output-dir', join(dir, `${db}.out`), '-o', '-', '--rejects', join(dir, `${db}.rejects.jsonl`)];
    const failing = start(args('rate-1.db'));
    expect((await failing.exit).code, failing.stderr()).toBe(1); // 3 HTTP_404 of 5 settled: 0.6 > 0.5
    const tolerant = start([...args('rate-2.db'), '--max-failure-rate', '0.75']);
    expect((await tolerant.exit).code, tolerant.stderr()).toBe(0);
    const bad = start([...args('rate-3.db'), '--max-failure-rate', '2']);
    expect((await bad.exit).code).toBe(2);
  });
});
