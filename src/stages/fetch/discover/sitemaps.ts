/**
 * Sitemaps → article URLs and child sitemaps: XML <urlset> (with the Google
 * News extension), <sitemapindex>, plain-text sitemaps, and the "Sitemap:"
 * lines of robots.txt. Image and video extensions are ignored: their <loc>s
 * are media files, not pages.
 */
import type { Element } from 'domhandler';
import { normalizeFeedDate } from './dates.js';
import type { DiscoveredUrl } from './types.js';
import {
  NS,
  type NsTest,
  absoluteHttp,
  baseOf,
  cleanTitle,
  feedInvalid,
  guard,
  inNs,
  kid,
  kids,
  localName,
  parseRoot,
  plainOr,
  resolveHttp,
  stripPreamble,
  textOf,
  uniqueByUrl,
} from './xml.js';

export interface SitemapContents {
  urls: DiscoveredUrl[];
  /** child sitemaps of a sitemap index */
  sitemaps: Array<{ url: string; lastmod: string | null }>;
}

/** Sitemap elements: the sitemaps.org namespace, or unprefixed (many sitemaps misspell or omit the xmlns). */
const core: NsTest = plainOr(NS.sitemap, NS.googleSitemap);
const news: NsTest = inNs(NS.news);

/** <urlset> (loc, lastmod, Google News news:news/news:publication_date and news:title, image/video extensions ignored), <sitemapindex>, and plain-text sitemaps (one URL per line). Throws NewscleanError('FEED_INVALID') otherwise. */
export function parseSitemap(text: string, baseUrl: string): SitemapContents {
  return guard(() => {
    const body = stripPreamble(text);
    if (!body.startsWith('<')) return { urls: parseTextSitemap(body), sitemaps: [] };
    const root = parseRoot(body, ['urlset', 'sitemapindex']);
    switch (localName(root)) {
      case 'urlset':
        return { urls: uniqueByUrl(kids(root, 'url', core).map((url) => urlEntry(url, baseUrl))), sitemaps: [] };
      case 'sitemapindex':
        return { urls: [], sitemaps: uniqueByUrl(kids(root, 'sitemap', core).map((s) => sitemapEntry(s, baseUrl))) };
      default:
        throw feedInvalid(`Not a sitemap: the root element is <${root.name}>.`);
    }
  });
}

/** A <url>: its page, dated by news:publication_date (when the story ran), else lastmod (when the page last changed). */
function urlEntry(entry: Element, baseUrl: string): DiscoveredUrl | null {
  const url = locOf(entry, baseUrl);
  if (url === null) return null;
  const newsEl = kid(entry, 'news', news);
  return {
    url,
    published:
      normalizeFeedDate(textOf(kid(newsEl, 'publication_date', news))) ??
      normalizeFeedDate(textOf(kid(entry, 'lastmod', core))),
    title: cleanTitle(textOf(kid(newsEl, 'title', news)), false),
    via: 'sitemap',
  };
}

function sitemapEntry(entry: Element, baseUrl: string): { url: string; lastmod: string | null } | null {
  const url = locOf(entry, baseUrl);
  return url === null ? null : { url, lastmod: normalizeFeedDate(textOf(kid(entry, 'lastmod', core))) };
}

/** The entry's <loc>. The protocol wants absolute URLs; a relative one is resolved rather than lost. */
function locOf(entry: Element, baseUrl: string): string | null {
  const loc = kid(entry, 'loc', core);
  return loc ? resolveHttp(textOf(loc), baseOf(loc, baseUrl)) : null;
}

/**
 * One absolute URL per line. Lines that are not URLs are skipped, but a body
 * where most lines are not URLs is some other text (an error page, a stray
 * JSON body), not a sitemap.
 */
function parseTextSitemap(body: string): DiscoveredUrl[] {
  const lines = body.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== '');
  const urls = lines.map(absoluteHttp).filter((url): url is string => url !== null);
  if (urls.length === 0 || urls.length * 2 < lines.length) {
    throw feedInvalid('Not a sitemap: neither XML nor a list of URLs.');
  }
  return uniqueByUrl(urls.map((url): DiscoveredUrl => ({ url, published: null, title: null, via: 'sitemap' })));
}

/** Sitemap URLs a robots.txt body declares ("Sitemap:" lines, any case). */
export function sitemapsFromRobots(robotsTxt: string, baseUrl: string): string[] {
  const found = new Set<string>();
  for (const line of stripPreamble(robotsTxt).split(/\r\n|\r|\n/)) {
    const m = /^\s*sitemap\s*:(.*)$/i.exec(line);
    if (!m) continue;
    // RFC 9309: "#" starts a comment; a space before it keeps a URL fragment safe.
    const value = (m[1] ?? '').replace(/(?:^|\s)#.*$/, '').trim();
    const url = resolveHttp(value, baseUrl);
    if (url !== null) found.add(url);
  }
  return [...found];
}
