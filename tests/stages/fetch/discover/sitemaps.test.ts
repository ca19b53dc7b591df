import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../../src/shared/errors.js';
import { parseSitemap } from '../../../../src/stages/fetch/discover/sitemaps.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/discover/${name}`, import.meta.url), 'utf8');
const SITE = 'https://akhbar-alwadi.example';
const GAZETTE = 'https://valley-gazette.example';

describe('parseSitemap: Google News urlset (news-sitemap.xml)', () => {
  it('reads loc, news date before lastmod, news title; ignores image and video extensions', () => {
    expect(parseSitemap(fixture('news-sitemap.xml'), `${SITE}/sitemap-news.xml`)).toEqual({
      urls: [
        { url: `${SITE}/ar/local/2024/10/16/jisr-alwadi`, published: '2024-10-16T10:15:00+03:00', title: 'افتتاح جسر الوادي & الطريق الدائري', via: 'sitemap' },
        { url: `${SITE}/ar/culture/2024/10/15/maarad-alkitab`, published: '2024-10-15', title: null, via: 'sitemap' },
        { url: `${SITE}/ar/video/2024/10/15/mubarat`, published: '2024-10-15T21:40:00Z', title: null, via: 'sitemap' },
        { url: `${SITE}/ar/local/2024/10/16/madrasa-jadida`, published: '2024-10-16T07:00:00Z', title: 'مدرسة جديدة في حي النخيل', via: 'sitemap' },
      ],
      sitemaps: [],
    });
  });

  it('accepts a urlset without xmlns, with a misspelt one, or with a prefix', () => {
    const bodies = [
      '<urlset><url><loc>https://a.example/1</loc></url></urlset>',
      '<urlset xmlns="https://www.sitemaps.org/schemas/sitemap/0.9/"><url><loc>https://a.example/1</loc></url></urlset>',
      '<s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9"><s:url><s:loc>https://a.example/1</s:loc></s:url></s:urlset>',
    ];
    for (const body of bodies) expect(parseSitemap(body, 'https://a.example/').urls.map((u) => u.url)).toEqual(['https://a.example/1']);
  });

  it('reads an undeclared news: prefix', () => {
    const body = '<urlset><url><loc>/n</loc><news:news><news:publication_date>2024-10-16T10:00:00Z</news:publication_date></news:news></url></urlset>';
    expect(parseSitemap(body, 'https://a.example/s.xml').urls).toEqual([
      { url: 'https://a.example/n', published: '2024-10-16T10:00:00Z', title: null, via: 'sitemap' },
    ]);
  });

  it('skips non-http(s) locs', () => {
    const body = '<urlset><url><loc>javascript:x()</loc></url><url><loc>ftp://a.example/f</loc></url><url><loc>https://a.example/ok</loc></url></urlset>';
    expect(parseSitemap(body, 'https://a.example/').urls.map((u) => u.url)).toEqual(['https://a.example/ok']);
  });

  it('finds the urlset behind a PHP warning printed before it', () => {
    const body = '<br />\n<b>Notice</b>: in <b>/srv/sitemap.php</b><br />\n<urlset><url><loc>https://a.example/1</loc></url></urlset>';
    expect(parseSitemap(body, 'https://a.example/').urls.map((u) => u.url)).toEqual(['https://a.example/1']);
  });

  it('returns nothing for an empty urlset', () => {
    expect(parseSitemap('<?xml version="1.0"?><urlset/>', 'https://a.example/')).toEqual({ urls: [], sitemaps: [] });
  });
});

describe('parseSitemap: sitemap index (sitemap-index.xml)', () => {
  it('lists child sitemaps with lastmod (null when unreadable), without the loc-less entry or the repeat', () => {
    expect(parseSitemap(fixture('sitemap-index.xml'), `${SITE}/sitemap.xml`)).toEqual({
      urls: [],
      sitemaps: [
        { url: `${SITE}/sitemap-news.xml`, lastmod: '2024-10-16T12:30:00+03:00' },
        { url: `${SITE}/sitemap-2024-10.xml`, lastmod: '2024-10-01' },
        { url: `${SITE}/sitemap-2024-09.xml`, lastmod: null },
        { url: `${SITE}/sitemap-pages.xml.gz`, lastmod: null },
      ],
    });
  });
});

describe('parseSitemap: plain text (sitemap.txt)', () => {
  it('reads one absolute URL per line, skipping blanks, other schemes and repeats', () => {
    const { urls, sitemaps } = parseSitemap(fixture('sitemap.txt'), `${GAZETTE}/sitemap.txt`);
    expect(sitemaps).toEqual([]);
    expect(urls.map((u) => u.url)).toEqual([
      `${GAZETTE}/2024/10/16/bridge-reopens`,
      `${GAZETTE}/2024/10/15/heavy-rain`,
      `${GAZETTE}/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D9%85%D8%B7%D8%B1`,
      `${GAZETTE}/2024/10/14/market-day`,
    ]);
    expect(urls.every((u) => u.published === null && u.title === null && u.via === 'sitemap')).toBe(true);
  });

  it('does not resolve relative lines: a text sitemap holds full URLs only', () => {
    expect(parseSitemap('https://a.example/1\n/2\n', 'https://a.example/').urls.map((u) => u.url)).toEqual(['https://a.example/1']);
  });
});

describe('parseSitemap: not a sitemap → FEED_INVALID', () => {
  it.each([
    ['malformed.xml', fixture('malformed.xml')],
    ['soft-404-feed.xml', fixture('soft-404-feed.xml')],
    ['an RSS feed', fixture('ar-rss2.xml')],
    ['empty', ''],
    ['text without URLs', 'Not Found'],
    ['text that is mostly not URLs', 'Error 503\nSee https://status.example/ for details\nTry again later\nhttps://a.example/'],
    ['JSON', '{"urls":["https://a.example/"]}'],
    ['gzip bytes read as text', '\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u00ad\u0092'],
  ])('%s', (_, text) => {
    expect(() => parseSitemap(text, 'https://a.example/sitemap.xml')).toThrow(NewscleanError);
    try {
      parseSitemap(text, 'https://a.example/sitemap.xml');
    } catch (err) {
      expect((err as NewscleanError).code).toBe('FEED_INVALID');
    }
  });
});
