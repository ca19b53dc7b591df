/**
 * End to end: the exit status of `newsclean crawl` tells cron the truth. An
 * unreachable site is a site failure (its own code and exit status, named on
 * stderr and in the manifest) while the other sites finish; a robots.txt that
 * cannot be read is a temporary refusal that later runs retry; known pages
 * count as successes, so one dead link among many known pages is not a failed
 * run; every non-zero exit prints one line saying why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteSite, startRouteSite } from './helpers/route-site.js';
import { jsonLines, runCli } from './helpers/run-cli.js';

let tmp: string;
let n = 0;
const sites: RouteSite[] = [];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-exit-'));
});
afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
  rmSync(tmp, { recursive: true, force: true });
});

const site = async (): Promise<RouteSite> => {
  const s = await startRouteSite();
  sites.push(s);
  return s;
};

/** A port nothing listens on: bound, then closed. */
const deadPort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

interface Workspace { dir: string; sources: string; run: (extra?: string[]) => ReturnType<typeof runCli>; manifests: () => Array<Record<string, unknown>>; rejects: () => Array<Record<string, unknown>> }

/** The manifest a run names on its summary line (run ids started in the same second do not sort in start order). */
const manifestOf = (r: { stderr: string }): Record<string, unknown> =>
  JSON.parse(readFileSync(/\((\/[^()]+\.manifest\.json)\)/.exec(r.stderr)![1]!, 'utf8')) as Record<string, unknown>;

/** A sources file, a state store, an output folder, and settings that retry a transient failure on the very next run. */
function workspace(yaml: string): Workspace {
  const dir = join(tmp, `ws-${++n}`);
  const sources = join(dir, 'sources.yaml');
  const settings = join(dir, 'settings.json');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(sources, yaml);
  writeFileSync(settings, JSON.stringify({ state: { retry: { baseDelayMs: 0 } } }));
  const out = join(dir, 'out');
  const files = (suffix: string): string[] =>
    readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).sort().map((f) => join(out, f));
  return {
    dir,
    sources,
    run: (extra = []) =>
      runCli(['crawl', '-c', sources, '--settings', settings, '--state', join(dir, 'state.db'), '--output-dir', out, '--allow-private-networks', '--threads', '0', '--quiet', ...extra]),
    manifests: () => files('.manifest.json').map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>),
    rejects: () => files('.rejects.jsonl').flatMap((f) => jsonLines(readFileSync(f, 'utf8')) as Array<Record<string, unknown>>),
  };
}
const POLITE = 'defaults: { per_host: { concurrency: 2, delay_ms: 0 }, retries: { limit: 1, base_delay_ms: 10, max_delay_ms: 20 } }\n';
const lastLine = (s: string): string => s.trim().split('\n').filter((l) => !l.startsWith('{')).at(-1) ?? '';

describe.concurrent('exit status: site failures', () => {
  it('a refused host is SITE_UNREACHABLE (never ROBOTS_DISALLOWED), exit 6 naming it, while the healthy site is exported', async () => {
    const good = await site();
    good.articles(['/a/1.html', '/a/2.html']);
    const port = await deadPort();
    const ws = workspace(`${POLITE}sites:\n  - name: healthy\n    sitemaps: ["${good.origin}/sitemap.xml"]\n  - name: gone\n    feeds: ["http://127.0.0.1:${port}/feed.xml"]\n    start_urls: ["http://127.0.0.1:${port}/"]\n`);
    const r = await ws.run();
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/^newsclean crawl: site gone: SITE_UNREACHABLE: robots\.txt http:\/\/127\.0\.0\.1:\d+\/robots\.txt got no answer: FETCH_FAILED/m);
    expect(lastLine(r.stderr)).toBe('newsclean crawl: exit 6: SITE_UNREACHABLE: 1 site could not be reached: gone');
    const [m] = ws.manifests();
    expect(m!['counts']).toMatchObject({ articles: 2, sitesFailed: 1 });
    expect(m!['sites_failed']).toEqual([expect.objectContaining({ site: 'gone', code: 'SITE_UNREACHABLE' })]);
    const codes = ws.rejects().map((x) => x['code']);
    expect(codes).not.toContain('ROBOTS_DISALLOWED');
    expect(codes).toContain('SITE_UNREACHABLE');
  });

  it('robots.txt 5xx is ROBOTS_UNAVAILABLE, a temporary refusal: the next run, with the site healthy, exports its pages', async () => {
    const hub = await site(); // the sitemap lives on a healthy host; the pages on one whose robots.txt is down
    const pages = await site();
    pages.articles(['/p/1.html', '/p/2.html', '/p/3.html']);
    pages.routes.set('/robots.txt', { status: 503, body: 'maintenance', type: 'text/plain' });
    hub.routes.set('/robots.txt', { body: 'User-agent: *\nAllow: /\n', type: 'text/plain' });
    hub.sitemap(['/p/1.html', '/p/2.html', '/p/3.html'].map((p) => pages.origin + p));
    const ws = workspace(`${POLITE}sites:\n  - name: split\n    sitemaps: ["${hub.origin}/sitemap.xml"]\n`);
    const first = await ws.run();
    expect(ws.rejects().map((x) => x['code'])).toEqual(['ROBOTS_UNAVAILABLE', 'ROBOTS_UNAVAILABLE', 'ROBOTS_UNAVAILABLE']);
    expect(first.code, first.stderr).toBe(1); // every page failed: the failure rate passed 0.5
    expect(lastLine(first.stderr)).toMatch(/^newsclean crawl: exit 1: RUN_FAILED: failure rate 100 % passed run\.maxFailureRate 50 % \(ROBOTS_UNAVAILABLE 3\)$/);

    pages.routes.set('/robots.txt', { body: 'User-agent: *\nAllow: /\n', type: 'text/plain' });
    const second = await ws.run();
    expect(second.code, second.stderr).toBe(0);
    expect(manifestOf(second)['counts']).toMatchObject({ articles: 3, known: 0 });
  });

  it('a robots.txt over 500 KiB is read up to 500 KiB, not taken as "disallow everything"', async () => {
    const s = await site();
    s.articles(['/big/1.html']);
    const filler = Array.from({ length: 30_000 }, (_, i) => `Disallow: /archive/${i}/`).join('\n'); // ~720 KB
    s.routes.set('/robots.txt', { body: `User-agent: *\nDisallow: /private/\n${filler}\n`, type: 'text/plain' });
    // max_bytes below the robots.txt's size: its first 500 KiB are all RFC 9309 asks a crawler to read.
    const ws = workspace(`defaults: { max_bytes: 600000, per_host: { delay_ms: 0 } }\nsites:\n  - name: big\n    sitemaps: ["${s.origin}/sitemap.xml"]\n`);
    const r = await ws.run();
    expect(r.code, r.stderr).toBe(0);
    expect(ws.manifests()[0]!['counts']).toMatchObject({ articles: 1 });
  });
});

describe.concurrent('exit status: the failure rate counts what the run had to do', () => {
  it('a run with nothing new exits 0; one dead link among known pages exits 0', async () => {
    const s = await site();
    const paths = Array.from({ length: 8 }, (_, i) => `/k/${i}.html`);
    s.articles(paths);
    s.routes.set('/', { body: '<html><body><nav><a href="/k/0.html">One</a></nav><h1>Front page</h1></body></html>' });
    const ws = workspace(`${POLITE}sites:\n  - name: known\n    start_urls: ["${s.origin}/"]\n    sitemaps: ["${s.origin}/sitemap.xml"]\n`);
    const first = await ws.run();
    expect(first.code, first.stderr).toBe(0);
    expect(manifestOf(first)['rejects_by_code']).toEqual({ NOT_AN_ARTICLE: 1 }); // the front page, once
    const again = await ws.run();
    expect(again.code, again.stderr).toBe(0);
    // Nothing new: no empty records file, no second front-page reject; only the manifest.
    const files = manifestOf(again)['files'] as { records: string; rejects: string };
    expect([existsSync(files.records), existsSync(files.rejects)]).toEqual([false, false]);
    expect(manifestOf(again)['counts']).toMatchObject({ articles: 0, rejects: 0, known: 8, unchanged: 1 });
    s.sitemap([...paths, '/k/dead.html']); // a new link that 404s
    const third = await ws.run();
    expect(third.code, third.stderr).toBe(0);
    const m = manifestOf(third);
    expect(m['counts']).toMatchObject({ articles: 0, rejects: 1, known: 8, unchanged: 1 });
    expect((m['summary'] as { failure_rate: number }).failure_rate).toBeCloseTo(1 / 10, 3);
  });
});

describe.concurrent('scrape of pages the state already knows', () => {
  it('counts them as unchanged (exit 0, nothing written); --force exports them again', async () => {
    const s = await site();
    s.articles(['/z/1.html', '/z/2.html']);
    const ws = workspace('sites: []\n');
    const urls = [`${s.origin}/z/1.html`, `${s.origin}/z/2.html`];
    const scrape = (extra: string[] = []) =>
      runCli(['scrape', ...urls, '--state', join(ws.dir, 'state.db'), '--output-dir', join(ws.dir, 'out'), '--allow-private-networks', '--threads', '0', '--quiet', ...extra]);
    expect((await scrape()).code).toBe(0);
    const again = await scrape();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/newsclean scrape: 0 articles, 0 rejects, 2 unchanged/);
    const forced = await scrape(['--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/newsclean scrape: 2 articles, 0 rejects/);
  });
});

describe.concurrent('--since', () => {
  it('feed items dated before --since are counted in the summary and the manifest, not silently dropped', async () => {
    const s = await site();
    s.articles(['/f/new.html', '/f/old1.html', '/f/old2.html']);
    const item = (p: string, date: string): string => `<item><title>${p}</title><link>${s.origin}${p}</link><pubDate>${date}</pubDate></item>`;
    s.routes.set('/feed.xml', {
      type: 'application/rss+xml',
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>${item('/f/new.html', 'Tue, 01 Dec 2026 10:00:00 GMT')}${item('/f/old1.html', 'Mon, 02 Mar 2026 10:00:00 GMT')}${item('/f/old2.html', 'Mon, 02 Feb 2026 10:00:00 GMT')}</channel></rss>`,
    });
    const ws = workspace(`${POLITE}sites:\n  - name: f\n    feeds: ["${s.origin}/feed.xml"]\n`);
    const r = await ws.run(['--since', '2026-11-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/newsclean crawl: 1 articles, 0 rejects, 2 older than --since/);
    expect(manifestOf(r)['counts']).toMatchObject({ articles: 1, tooOld: 2 });
  });
});
