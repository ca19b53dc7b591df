/**
 * `crawl --warc DIR` as a user runs it (dist/cli.js against a loopback site):
 * every HTTP exchange is archived (robots.txt, the sitemap, pages, a
 * redirect hop, a 404, a gzip-encoded page kept as sent), the files pass a
 * `warcio check`-style digest check and warcio's own `index`, each record
 * points at its response, the manifest lists the files, re-extracting the
 * archive gives the live crawl's records, a second run with --refresh
 * archives a 304 as a revisit; `scrape` and output.warc from the environment
 * archive too; an archive folder that cannot be written is exit 74.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteSite, articleFor, startRouteSite } from './helpers/route-site.js';
import { ROOT, jsonLines, runCli } from './helpers/run-cli.js';
import { checkWarc } from './helpers/warc-check.js';

interface Rec { id: string; source: string; url: string; title: string; text: string; published_at: string | null; date_source: string | null; warc?: { file: string; offset: number; length: number } }

let site: RouteSite;
let dir: string;
beforeAll(async () => {
  site = await startRouteSite();
  site.articles(['/news/plain.html', '/news/target.html', '/news/etag.html']);
  site.routes.set('/news/zipped.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    res.end(gzipSync(articleFor('/news/zipped.html')));
  });
  site.routes.set('/news/moved.html', { status: 301, headers: { location: '/news/target.html' }, body: 'moved' });
  site.routes.set('/news/etag.html', (req, res) => {
    if (req.headers['if-none-match'] === '"e1"') return void (res.writeHead(304), res.end());
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"e1"' });
    res.end(articleFor('/news/etag.html'));
  });
  site.sitemap(['/news/plain.html', '/news/zipped.html', '/news/moved.html', '/news/etag.html', '/news/gone.html']);
  // An undated page listed by a feed with its date: the record takes the feed's date, and so must its re-extraction.
  site.routes.set('/news/listed.html', { body: articleFor('/news/listed.html') });
  site.routes.set('/feed.xml', { type: 'application/rss+xml', body: `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>Listed</title><link>${site.origin}/news/listed.html</link><pubDate>Mon, 30 Nov 2026 09:15:00 +0300</pubDate></item></channel></rss>` });
  dir = mkdtempSync(join(tmpdir(), 'nc-warc-crawl-'));
  writeFileSync(join(dir, 'sources.yaml'), `defaults: { per_host: { concurrency: 2, delay_ms: 0 } }\nsites:\n  - name: news\n    sitemaps: ["${site.origin}/sitemap.xml"]\n    feeds: ["${site.origin}/feed.xml"]\n`);
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

const crawlArgs = (out: string, ...more: string[]): string[] => ['crawl', '-c', join(dir, 'sources.yaml'), '--allow-private-networks', '--threads', '0', '--state', join(out, 'state.db'), '--output-dir', out, ...more];
const warcFiles = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.warc.gz')).sort().map((f) => join(folder, f));
const recordsOf = (out: string): Rec[] => {
  const day = readdirSync(out).find((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))!;
  return readdirSync(join(out, day)).filter((f) => f.endsWith('.jsonl') && !f.includes('rejects')).flatMap((f) => jsonLines(readFileSync(join(out, day, f), 'utf8')) as Rec[]);
};

describe('crawl --warc DIR', () => {
  it('archives every exchange; records point at their responses; the archive re-extracts to the same records', async () => {
    const out = join(dir, 'out');
    const warc = join(dir, 'warc');
    const r = await runCli(crawlArgs(out, '--warc', warc));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('5 articles, 1 rejects');

    const files = warcFiles(warc);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/newsclean-crawl-[^/]+-\d{14}-00000\.warc\.gz$/);
    const records = checkWarc(files[0]!);
    expect(records[0]!.type).toBe('warcinfo');
    expect(records[0]!.block.toString()).toMatch(/software: newsclean\/[\d.]+/);
    const responses = records.filter((x) => x.type === 'response').map((x) => `${new URL(x.uri!).pathname} ${/^HTTP\/1\.1 (\d+)/.exec(x.block.toString('latin1'))![1]}`);
    expect(responses.sort()).toEqual(['/news/etag.html 200', '/news/gone.html 404', '/news/moved.html 301', '/news/plain.html 200', '/news/target.html 200', '/news/zipped.html 200', '/news/listed.html 200', '/feed.xml 200', '/robots.txt 200', '/sitemap.xml 200'].sort());
    expect(records.filter((x) => x.type === 'request')).toHaveLength(responses.length);
    expect(records.filter((x) => x.type === 'metadata')).toHaveLength(1);
    // The gzip page as sent: its payload is still gzip.
    const zipped = records.find((x) => x.type === 'response' && x.uri!.endsWith('/zipped.html'))!;
    const payload = zipped.block.subarray(zipped.block.indexOf('\r\n\r\n') + 4);
    expect(gunzipSync(payload).toString()).toBe(articleFor('/news/zipped.html'));

    // warcio's own reader indexes it.
    const index = execFileSync(process.execPath, [join(ROOT, 'node_modules', 'warcio', 'dist', 'cli.js'), 'index', files[0]!], { encoding: 'utf8' });
    expect(index.trim().split('\n')).toHaveLength(records.length);

    const live = recordsOf(out);
    expect(live).toHaveLength(5);
    expect(live.find((x) => x.url.endsWith('/listed.html'))).toMatchObject({ published_at: '2026-11-30T09:15:00+03:00', date_source: 'feed' });
    // That date is kept beside the page's response, in a metadata record naming it.
    const note = records.find((x) => x.type === 'metadata')!;
    expect(note.block.toString()).toMatch(/^newsclean-listed-date: 2026-11-30T0\d:15:00\S*\r\nnewsclean-listed-from: feed\r\n$/);
    const bytes = readFileSync(files[0]!);
    for (const rec of live) {
      const member = gunzipSync(bytes.subarray(rec.warc!.offset, rec.warc!.offset + rec.warc!.length)).toString('utf8');
      expect(member).toContain('WARC-Type: response\r\n');
      expect(member).toContain(`WARC-Target-URI: ${rec.url}\r\n`);
    }
    const manifest = JSON.parse(readFileSync(join(out, readdirSync(out).find((d) => /^\d{4}/.test(d))!, readdirSync(join(out, readdirSync(out).find((d) => /^\d{4}/.test(d))!)).find((f) => f.endsWith('.manifest.json'))!), 'utf8')) as { warc: string[] };
    expect(manifest.warc).toEqual(files);

    // Re-extracted from the archive: the same records (the redirected page keeps the URL first asked for as its source).
    const again = await runCli(['extract', warc, '-o', '-']);
    expect(again.code, again.stderr).toBe(0);
    const pick = (x: Rec) => ({ id: x.id, source: x.source, url: x.url, title: x.title, text: x.text, published_at: x.published_at, date_source: x.date_source });
    const byId = (a: Rec, b: Rec): number => a.id.localeCompare(b.id);
    expect((jsonLines(again.stdout) as Rec[]).sort(byId).map(pick)).toEqual(live.sort(byId).map(pick));
    expect(live.find((x) => x.url.endsWith('/target.html'))!.source).toBe(`${site.origin}/news/moved.html`);

    // A later run that revisits (--refresh): a 304 is a revisit record.
    const refresh = await runCli(crawlArgs(out, '--warc', warc, '--refresh'));
    expect(refresh.code, refresh.stderr).toBe(0);
    const second = warcFiles(warc).filter((f) => !files.includes(f));
    expect(second).toHaveLength(1);
    const revisit = checkWarc(second[0]!).find((x) => x.type === 'revisit')!;
    expect(revisit.uri).toBe(`${site.origin}/news/etag.html`);
    expect(revisit.headers.get('warc-profile')).toBe('http://netpreserve.org/warc/1.1/revisit/server-not-modified');
  }, 60_000);

  it('scrape archives too, with the folder from NEWSCLEAN_OUTPUT_WARC', async () => {
    const out = join(dir, 'scrape');
    const warc = join(dir, 'warc-env');
    writeFileSync(join(dir, 'urls.txt'), `${site.origin}/news/plain.html\n`);
    const r = await runCli(['scrape', '--urls', join(dir, 'urls.txt'), '--allow-private-networks', '--threads', '0', '--state', join(out, 'state.db'), '--output-dir', out], { NEWSCLEAN_OUTPUT_WARC: warc });
    expect(r.code, r.stderr).toBe(0);
    const [rec] = recordsOf(out);
    expect(rec!.warc!.file).toBe(warcFiles(warc)[0]);
    expect(checkWarc(rec!.warc!.file).map((x) => x.type)).toEqual(['warcinfo', 'request', 'response', 'request', 'response']);
  }, 30_000);

  it('an archive folder that cannot be written: exit 74 and one line saying why', async () => {
    const out = join(dir, 'bad');
    const notADir = join(dir, 'a-file');
    writeFileSync(notADir, 'x');
    const r = await runCli(crawlArgs(out, '--warc', join(notADir, 'warc')));
    expect(r.code).toBe(74);
    expect(r.stderr).toMatch(/OUTPUT_FAILED|cannot write/);
    expect(r.stderr).toContain(join(notADir, 'warc'));
  }, 30_000);
});
