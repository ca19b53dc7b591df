/**
 * End to end, the built CLI against a loopback site, for what canonical URLs
 * decide: one page gives one id (its /amp/ copy and a tracking-parameter URL
 * naming the same rel=canonical are DUPLICATE_URL rejects, in the run and in
 * the next), two spellings of one URL (escapes, tracking parameters) are
 * fetched once, and follow.allow patterns are matched against the absolute URL.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { articlePage } from './helpers/news-site.js';
import { jsonLines, runCli } from './helpers/run-cli.js';
import { validateRecord, validateReject } from './helpers/validate-record.js';

const STORY = [
  'The river authority opened the new flood gates on Tuesday after three years of work, engineers said at a briefing in the port town.',
  'Residents who lost homes in the floods of 2023 watched from the embankment as the first barges passed under the raised steel arms.',
  'The authority said the gates would be tested every month and that the old sluices downstream would be kept as a second line of defence.',
];

/** The article, declaring `canonical` (a path) as its rel=canonical. */
const withCanonical = (html: string, canonical: string, origin: string): string =>
  html.replace('<meta property="og:type" content="article">', `<meta property="og:type" content="article"><link rel="canonical" href="${origin}${canonical}">`);

let origin = '';
/** Raw request targets (path and query as sent), in order. */
const requests: string[] = [];
let server: ReturnType<typeof createServer>;
let tmp: string;
let n = 0;
const settings = (): string => {
  const file = join(tmp, 'settings.json');
  writeFileSync(file, JSON.stringify({ fetch: { perHost: { concurrency: 2, delayMs: 0 } } }));
  return file;
};

/** Pages by decoded path (a server decodes %41 to A); the query is ignored, as a CMS ignores utm_*. */
function page(path: string): string | null {
  if (path === '/a.html' || path === '/amp/a.html') return withCanonical(articlePage('Flood gates open', STORY), '/a.html', origin);
  if (path === '/a/A.html') return articlePage('Flood gates open', STORY).replace('</article>', '<p><a href="/a/A.html?q=%2Fa%20b">this story</a></p></article>');
  if (path === '/') return '<!doctype html><html><head><title>Home</title></head><body><a href="/news/1.html">One</a> <a href="/about.html">About</a></body></html>';
  if (path === '/news/1.html' || path === '/about.html') return articlePage(path === '/about.html' ? 'About us' : 'Flood gates open', STORY);
  return null;
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const target = req.url ?? '/';
  requests.push(target);
  const path = decodeURIComponent(target.split('?')[0]!);
  if (path === '/robots.txt') return void res.writeHead(404).end();
  if (path === '/sitemap.xml') {
    const loc = `${origin}/a/%41.html?q=%2Fa%20b&amp;utm_campaign=x`;
    res.writeHead(200, { 'content-type': 'application/xml' });
    return void res.end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${loc}</loc></url></urlset>`);
  }
  const html = page(path);
  if (html === null) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-canonical-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

const common = (state: string): string[] => ['--allow-private-networks', '--threads', '0', '--settings', settings(), '--state', state, '--output-dir', join(tmp, `out-${++n}`)];

describe('one page, one id', () => {
  it('scrape: /a.html, /amp/a.html and /a.html?utm_source=x (all rel=canonical /a.html) give the id once and two DUPLICATE_URL rejects, also in the next run', async ({ expect }) => {
    const state = join(tmp, 'one-id.db');
    const out = join(tmp, 'one-id.jsonl');
    const rej = join(tmp, 'one-id.rejects.jsonl');
    const urls = [`${origin}/a.html`, `${origin}/amp/a.html`, `${origin}/a.html?utm_source=x`];
    const r = await runCli(['scrape', ...urls, '-o', out, '--rejects', rej, ...common(state)]);
    expect(r.code, r.stderr).toBe(0);
    const records = jsonLines(readFileSync(out, 'utf8')) as Array<{ id: string; duplicate_of: string | null; canonical_url: string }>;
    expect(records).toHaveLength(1);
    expect(records[0]!.canonical_url).toBe(`${origin}/a.html`);
    expect(records[0]!.duplicate_of).toBeNull();
    expect(validateRecord(records[0])).toEqual([]);
    const rejects = jsonLines(readFileSync(rej, 'utf8')) as Array<{ url: string; code: string; message: string }>;
    expect(rejects.map((x) => x.code)).toEqual(['DUPLICATE_URL', 'DUPLICATE_URL']);
    for (const x of rejects) expect(validateReject(x)).toEqual([]);
    expect(new Set([...records.map((x) => (x as { url: string }).url), ...rejects.map((x) => x.url)])).toEqual(new Set(urls));
    // The reject of the page fetched (not the one refused before fetching) names the id.
    expect(rejects.some((x) => x.message.includes(records[0]!.id))).toBe(true);

    // A later run: the /amp/ copy again (a seed is always fetched) is not exported a second time.
    const out2 = join(tmp, 'one-id-2.jsonl');
    const rej2 = join(tmp, 'one-id-2.rejects.jsonl');
    const again = await runCli(['scrape', `${origin}/amp/a.html`, `${origin}/a.html`, '-o', out2, '--rejects', rej2, ...common(state)]);
    expect([0, 1], again.stderr).toContain(again.code);
    // No record at all leaves no records file (it is created with its first line).
    const ids = existsSync(out2) ? (jsonLines(readFileSync(out2, 'utf8')) as Array<{ id: string }>).map((x) => x.id) : [];
    expect(ids).not.toContain(records[0]!.id);
  });
});

describe('canonical URLs', () => {
  it('crawl: the sitemap lists /a/%41.html?q=%2Fa%20b&utm_campaign=x and the page links to /a/A.html?q=%2Fa%20b: fetched once, one record', async ({ expect }) => {
    const sources = join(tmp, 'escapes.yaml');
    writeFileSync(sources, `sites:\n  - name: local\n    sitemaps: ["${origin}/sitemap.xml"]\n    follow: { allow: ['/a/'], max_depth: 2 }\n`);
    const before = requests.length;
    const r = await runCli(['crawl', '-c', sources, '-o', '-', '--rejects', join(tmp, 'escapes.rejects.jsonl'), ...common(join(tmp, 'escapes.db'))]);
    expect(r.code, r.stderr).toBe(0);
    const pages = requests.slice(before).filter((t) => t.startsWith('/a/'));
    expect(pages).toEqual(['/a/%41.html?q=%2Fa%20b&utm_campaign=x']);
    const records = jsonLines(r.stdout) as Array<{ canonical_url: string }>;
    expect(records).toHaveLength(1);
    expect(records[0]!.canonical_url).toBe(`${origin}/a/A.html?q=%2Fa%20b`);
  });

  it('crawl: follow.allow written as ^http://host/... (as documented) follows links from a start URL', async ({ expect }) => {
    const sources = join(tmp, 'follow.yaml');
    const host = origin.replace('http://', '').replace(/[.]/g, '\\.');
    writeFileSync(sources, `sites:\n  - name: local\n    start_urls: ["${origin}/"]\n    follow: { allow: ['^http://${host}/news/'], max_depth: 1 }\n`);
    const r = await runCli(['crawl', '-c', sources, '-o', '-', '--rejects', join(tmp, 'follow.rejects.jsonl'), ...common(join(tmp, 'follow.db'))]);
    expect(r.code, r.stderr).toBe(0);
    expect((jsonLines(r.stdout) as Array<{ url: string }>).map((x) => x.url)).toEqual([`${origin}/news/1.html`]);
  });
});
