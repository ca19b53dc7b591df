/**
 * Sitemaps read as a stream (src/stages/fetch/discover/sitemap-stream.ts and
 * readSitemapBytes): the same entries whatever the chunking, entries cut off
 * by the end of input dropped, broken XML reported, bytes decoded by chunks.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../../src/shared/errors.js';
import { SitemapStream } from '../../../../src/stages/fetch/discover/sitemap-stream.js';
import { type ChildSitemap, parseSitemap, readSitemapBytes } from '../../../../src/stages/fetch/discover/sitemaps.js';
import type { DiscoveredUrl } from '../../../../src/stages/fetch/discover/types.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/discover/${name}`, import.meta.url), 'utf8');
const BASE = 'https://a.example/sitemap.xml';

/** Stream `text` in pieces of `size` characters. */
function streamed(text: string, size: number, base = BASE) {
  const urls: DiscoveredUrl[] = [];
  const sitemaps: ChildSitemap[] = [];
  const reader = new SitemapStream(base, { url: (u) => urls.push(u), sitemap: (s) => sitemaps.push(s) });
  for (let i = 0; i < text.length; i += size) reader.write(text.slice(i, i + size));
  const summary = reader.end();
  return { urls, sitemaps, summary };
}

async function fromBytes(bytes: Buffer, contentType: string | null, base = BASE) {
  const urls: DiscoveredUrl[] = [];
  const sitemaps: ChildSitemap[] = [];
  const summary = await readSitemapBytes(bytes, contentType, base, { url: (u) => urls.push(u), sitemap: (s) => sitemaps.push(s) });
  return { urls, sitemaps, summary };
}

function feedInvalid(run: () => unknown): NewscleanError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(NewscleanError);
    return err as NewscleanError;
  }
  throw new Error('did not throw');
}

describe('chunking never changes what is read', () => {
  it.each(['news-sitemap.xml', 'sitemap-index.xml', 'sitemap.txt'])('%s, one character at a time and in 7-char pieces', (name) => {
    const whole = parseSitemap(fixture(name), BASE);
    for (const size of [1, 7]) {
      const { urls, sitemaps, summary } = streamed(fixture(name), size);
      expect({ urls, sitemaps }).toEqual(whole);
      expect(summary.problem).toBeNull();
    }
  });
});

describe('XML details', () => {
  it('decodes entity-heavy locs and titles (named, decimal, hex), split anywhere', () => {
    const body = `<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>
      <loc>https://a.example/s?a=1&amp;b=2&amp;c=&#x627;&#1604;</loc>
      <news:news><news:title>&lt;b&gt;Q&amp;A&lt;/b&gt; &quot;&#1582;&#x628;&#x631;&quot; &apos;x&apos;</news:title></news:news></url></urlset>`;
    const expected = [{ url: 'https://a.example/s?a=1&b=2&c=%D8%A7%D9%84', published: null, title: '<b>Q&A</b> "خبر" \'x\'', via: 'sitemap' }];
    for (const size of [1, 3, body.length]) expect(streamed(body, size).urls).toEqual(expected);
  });

  it('reads CDATA locs and titles', () => {
    const body = '<urlset><url><loc><![CDATA[https://a.example/x?y=1&z=2]]></loc><news:news><news:title><![CDATA[A <i>b</i>]]></news:title></news:news></url></urlset>';
    expect(streamed(body, 5).urls).toEqual([{ url: 'https://a.example/x?y=1&z=2', published: null, title: 'A <i>b</i>', via: 'sitemap' }]);
  });

  it('follows namespaces: any prefix bound to the sitemap or news namespace; other vocabularies ignored', () => {
    const body = `<s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:g="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <s:url><image:image><image:loc>https://a.example/pic.jpg</image:loc></image:image><s:loc>https://a.example/1</s:loc>
        <g:news><g:publication_date>2026-12-04T08:00:00+03:00</g:publication_date><g:title>One</g:title></g:news></s:url>
      <s:url><x:loc xmlns:x="urn:other">https://a.example/not-a-page</x:loc></s:url>
      <s:url><s:loc>https://a.example/2</s:loc><news><publication_date>2026-12-01</publication_date></news><s:lastmod>2026-12-02</s:lastmod></s:url>
    </s:urlset>`;
    expect(streamed(body, 11).urls).toEqual([
      { url: 'https://a.example/1', published: '2026-12-04T08:00:00+03:00', title: 'One', via: 'sitemap' },
      // an unprefixed <news> with no news namespace is not Google News: lastmod dates it
      { url: 'https://a.example/2', published: '2026-12-02', title: null, via: 'sitemap' },
    ]);
  });

  it('resolves locs against xml:base from the root down', () => {
    const body = '<urlset xml:base="https://b.example/ar/"><url xml:base="2026/"><loc>x</loc></url><url><loc>/y</loc></url></urlset>';
    expect(streamed(body, 4).urls.map((u) => u.url)).toEqual(['https://b.example/ar/2026/x', 'https://b.example/y']);
  });

  it('tells an index from a urlset: child sitemaps, never pages, and no pages from an index', () => {
    const index = '<sitemapindex><sitemap><loc>/s1.xml</loc><lastmod>2026-12-04</lastmod></sitemap><url><loc>/page</loc></url></sitemapindex>';
    expect(streamed(index, 6)).toMatchObject({ urls: [], sitemaps: [{ url: 'https://a.example/s1.xml', lastmod: '2026-12-04' }] });
    const urlset = '<urlset><sitemap><loc>/s1.xml</loc></sitemap><url><loc>/page</loc></url></urlset>';
    expect(streamed(urlset, 6)).toMatchObject({ urls: [{ url: 'https://a.example/page' }], sitemaps: [] });
  });
});

describe('broken XML yields what it can, and says so', () => {
  const entries = (n: number) => Array.from({ length: n }, (_, i) => `<url><loc>https://a.example/${i}</loc><lastmod>2026-12-0${i + 1}</lastmod></url>`).join('');

  it('a download cut inside a <loc> keeps the whole entries and drops the cut one', () => {
    const { urls, summary } = streamed(`<urlset>${entries(3)}<url><loc>https://a.example/12`, 64);
    expect(urls.map((u) => u.url)).toEqual(['https://a.example/0', 'https://a.example/1', 'https://a.example/2']);
    expect(summary.problem).toMatch(/input ends inside <loc>/);
  });

  it('an entry cut after its whole <loc> is kept (its cut lastmod is not read)', () => {
    const { urls, summary } = streamed(`<urlset>${entries(1)}<url><loc>https://a.example/9</loc><lastmod>2026-1`, 64);
    expect(urls).toEqual([
      { url: 'https://a.example/0', published: '2026-12-01', title: null, via: 'sitemap' },
      { url: 'https://a.example/9', published: null, title: null, via: 'sitemap' },
    ]);
    expect(summary.problem).not.toBeNull();
  });

  it('a mismatched close tag is reported; the entries around it are read', () => {
    const { urls, summary } = streamed(`<urlset>${entries(1)}<url><loc>https://a.example/b</lco></url>${entries(2)}</urlset>`, 64);
    expect(urls.map((u) => u.url)).toEqual(['https://a.example/0', 'https://a.example/b', 'https://a.example/1']);
    expect(summary.problem).toMatch(/<\/lco> closes no open element/);
  });

  it('well-formed XML has no problem', () => {
    expect(streamed(`<?xml version="1.0"?><urlset>${entries(2)}</urlset>\n`, 64).summary).toEqual({ urls: 2, sitemaps: 0, problem: null });
  });

  it('broken XML that yields nothing is FEED_INVALID, as is a cut root tag', () => {
    expect(feedInvalid(() => streamed('<urlset><url><loc>https://a.example/0', 64)).code).toBe('FEED_INVALID');
    expect(feedInvalid(() => parseSitemap(fixture('malformed.xml'), BASE)).code).toBe('FEED_INVALID');
  });
});

describe('readSitemapBytes', () => {
  it('decodes a windows-1256 sitemap declared only in its XML declaration, across chunk boundaries', async () => {
    const title = 'افتتاح جسر الوادي';
    const entry = (i: number) => `<url><loc>https://a.example/${i}</loc><news:news><news:title>${title} ${i}</news:title></news:news></url>\n`;
    // > 1 MiB, so several decode-and-parse steps
    const xml = `<?xml version="1.0" encoding="windows-1256"?><urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${Array.from({ length: 12_000 }, (_, i) => entry(i)).join('')}</urlset>`;
    const bytes = iconv.encode(xml, 'windows-1256');
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const { urls, summary } = await fromBytes(bytes, 'application/xml');
    expect(summary).toEqual({ urls: 12_000, sitemaps: 0, problem: null });
    expect(urls[11_999]).toEqual({ url: 'https://a.example/11999', published: null, title: `${title} 11999`, via: 'sitemap' });
  });

  it('reads a UTF-8 body with a BOM, and a UTF-16 one', async () => {
    const xml = '<urlset><url><loc>https://a.example/%D8%AE</loc></url></urlset>';
    const want = [{ url: 'https://a.example/%D8%AE', published: null, title: null, via: 'sitemap' }];
    expect((await fromBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]), null)).urls).toEqual(want);
    expect((await fromBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]), 'text/xml')).urls).toEqual(want);
  });

  it('reads a plain-text sitemap and refuses text that is not one', async () => {
    expect((await fromBytes(Buffer.from('\n https://a.example/1\r\nhttps://a.example/2\n'), 'text/plain')).urls.map((u) => u.url)).toEqual(['https://a.example/1', 'https://a.example/2']);
    await expect(fromBytes(Buffer.from('Not Found'), 'text/plain')).rejects.toMatchObject({ code: 'FEED_INVALID' });
  });
});
