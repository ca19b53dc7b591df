/**
 * End to end for discovery at real sizes: the built CLI crawls a loopback
 * site whose sitemap is larger than the page limit (fetch.maxBytes) but legal
 * for a sitemap, and a feed whose download was cut mid-item.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { articlePage } from './helpers/news-site.js';
import { jsonLines, runCli } from './helpers/run-cli.js';

/** Arabic words for slugs: percent-encoded they are 6 bytes a letter, as real Arabic sitemaps are. */
const WORDS = ['الحكومة', 'تعلن', 'خطة', 'جديدة', 'لتطوير', 'النقل', 'العام', 'في', 'المدن', 'الكبرى', 'خلال', 'السنوات', 'المقبلة'];
const SITEMAP_URLS = 30_000;
const slug = (i: number): string => encodeURIComponent(Array.from({ length: 11 }, (_, k) => WORDS[(i + k) % WORDS.length]).join('-'));
const story = (n: number): string[] =>
  Array.from({ length: 4 }, (_, k) => `Story ${n}, paragraph ${k + 1}: the council met on Thursday and agreed a plan for the bridge, the road and the new school, after months of debate between the districts.`);

let server: Server;
let origin: string;
let tmp: string;
let sitemapBytes = 0;

function sitemap(): string {
  const entries = Array.from({ length: SITEMAP_URLS }, (_, i) => `<url><loc>${origin}/ar/2026/12/04/${slug(i)}-${i}</loc><lastmod>2026-12-04T10:00:00+03:00</lastmod></url>\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('')}</urlset>\n`;
}

/** Three whole items, then a fourth cut inside its <link>: the cut URL is itself a page here, so crawling it would show. */
function truncatedFeed(): string {
  const item = (n: number) => `<item><title>خبر ${n}</title><link>${origin}/feed/${n}0</link></item>`;
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>${item(1)}${item(2)}${item(3)}<item><title>خبر 4</title><link>${origin}/feed/4`;
}

beforeAll(async () => {
  let body = '';
  let gz = Buffer.alloc(0);
  let feed = '';
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, type: string, text: string | Buffer) => res.writeHead(status, { 'content-type': type }).end(text);
    if (path === '/sitemap.xml') return send(200, 'application/xml', body);
    if (path === '/sitemap.xml.gz') return send(200, 'application/gzip', gz);
    if (path === '/feed.xml') return send(200, 'application/rss+xml', feed);
    const m = /^\/feed\/(\d+)$/.exec(path);
    if (m) return send(200, 'text/html; charset=utf-8', articlePage(`Feed story ${m[1]}`, story(Number(m[1]))));
    // The sitemap's first pages (more than the crawl has in flight at once) are articles; the rest 404 cheaply (never reached with --max-articles).
    const n = /-(\d+)$/.exec(path)?.[1];
    if (n !== undefined && Number(n) < 100) return send(200, 'text/html; charset=utf-8', articlePage(`Sitemap story ${n}`, story(Number(n))));
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  body = sitemap();
  sitemapBytes = Buffer.byteLength(body);
  gz = gzipSync(body);
  feed = truncatedFeed();
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-discovery-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

function crawl(name: string, site: string, extra: string[] = []) {
  const sources = join(tmp, `${name}.yaml`);
  writeFileSync(sources, `defaults: { per_host: { concurrency: 4, delay_ms: 0 }, respect_robots: false }\nsites:\n  - name: ${name}\n${site}\n`);
  const out = join(tmp, `${name}.jsonl`);
  return runCli(['crawl', '-c', sources, '--allow-private-networks', '--threads', '0', '--state', join(tmp, `${name}.db`), '-o', out, ...extra]).then((r) => ({
    ...r,
    records: jsonLines(readFileSync(out, 'utf8')) as Array<{ url: string }>,
    // A rejects file is created with its first line: none means no reject.
    rejects: (existsSync(join(tmp, `${name}.rejects.jsonl`)) ? jsonLines(readFileSync(join(tmp, `${name}.rejects.jsonl`), 'utf8')) : []) as Array<{ url: string; code: string }>,
    manifest: JSON.parse(readFileSync(/\((\S+\.manifest\.json)\)/.exec(r.stderr)![1]!, 'utf8')) as { counts: Record<string, number> },
  }));
}

describe.concurrent('newsclean crawl: discovery documents', () => {
  it('reads a 30 000-URL Arabic sitemap larger than fetch.maxBytes: every URL discovered, no TOO_LARGE', async ({ expect }) => {
    expect(sitemapBytes).toBeGreaterThan(13 * 1024 * 1024); // over the 10 MiB page limit, under the 50 MB the protocol allows
    const r = await crawl('big', `    sitemaps: ["${origin}/sitemap.xml"]`, ['--max-articles', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rejects.filter((x) => x.code === 'TOO_LARGE')).toEqual([]);
    expect(r.manifest.counts.discovered).toBeGreaterThanOrEqual(SITEMAP_URLS);
    expect(r.records).toHaveLength(3);
    const firstPages = new Set(Array.from({ length: 100 }, (_, i) => `${origin}/ar/2026/12/04/${slug(i)}-${i}`));
    for (const { url } of r.records) expect(firstPages.has(url), url).toBe(true);
  }, 60_000);

  it('reads the same sitemap as .xml.gz: the cap applies to its uncompressed size, which is within it', async ({ expect }) => {
    const r = await crawl('gz', `    sitemaps: ["${origin}/sitemap.xml.gz"]`, ['--max-articles', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rejects.filter((x) => x.code === 'TOO_LARGE')).toEqual([]);
    expect(r.manifest.counts.discovered).toBeGreaterThanOrEqual(SITEMAP_URLS);
  }, 60_000);

  it('fetch.maxDiscoveryBytes (max_discovery_bytes in the sources file) still caps it: TOO_LARGE', async ({ expect }) => {
    const sources = join(tmp, 'capped2.yaml');
    writeFileSync(sources, `defaults: { max_discovery_bytes: 1048576, per_host: { delay_ms: 0 }, respect_robots: false }\nsites:\n  - name: capped2\n    sitemaps: ["${origin}/sitemap.xml"]\n`);
    const out = join(tmp, 'capped2.jsonl');
    await runCli(['crawl', '-c', sources, '--allow-private-networks', '--threads', '0', '--state', join(tmp, 'capped2.db'), '-o', out]);
    expect(jsonLines(readFileSync(join(tmp, 'capped2.rejects.jsonl'), 'utf8'))).toMatchObject([{ url: `${origin}/sitemap.xml`, code: 'TOO_LARGE' }]);
  }, 60_000);

  it('crawls the readable items of a feed cut mid-item, warns FEED_INVALID and counts it; exit 0', async ({ expect }) => {
    const r = await crawl('broken', `    feeds: ["${origin}/feed.xml"]`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.records.map((x) => x.url).sort()).toEqual([`${origin}/feed/10`, `${origin}/feed/20`, `${origin}/feed/30`]);
    expect(r.rejects).toEqual([]);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.code === 'FEED_INVALID');
    expect(warnings).toMatchObject([{ level: 40, stage: 'discover', site: 'broken', url: `${origin}/feed.xml`, code: 'FEED_INVALID', items: 3 }]);
    expect(r.manifest.counts.discoveryWarnings).toBe(1);
  }, 60_000);
});
