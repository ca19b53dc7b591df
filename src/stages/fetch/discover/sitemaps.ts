/**
 * Sitemaps → article URLs and child sitemaps: XML <urlset> (with the Google
 * News extension), <sitemapindex> and plain-text sitemaps. Image and video
 * extensions are ignored: their <loc>s
 * are media files, not pages. Read as a stream (./sitemap-stream.ts): the
 * protocol allows 50 000 URLs and 50 MB per file.
 */
import iconv from 'iconv-lite';
import { iconvName, pickEncoding } from '../../../shared/decode.js';
import { type ChildSitemap, type SitemapSink, SitemapStream, type SitemapSummary } from './sitemap-stream.js';
import type { DiscoveredUrl } from './types.js';
import { guard } from './xml.js';

export type { ChildSitemap, SitemapSink, SitemapSummary } from './sitemap-stream.js';

export interface SitemapContents {
  urls: DiscoveredUrl[];
  /** child sitemaps of a sitemap index */
  sitemaps: ChildSitemap[];
}

/** <urlset> (loc, lastmod, Google News news:news/news:publication_date and news:title, image/video extensions ignored), <sitemapindex>, and plain-text sitemaps (one URL per line). Throws NewscleanError('FEED_INVALID') otherwise, or when the XML is broken and nothing could be read. */
export function parseSitemap(text: string, baseUrl: string): SitemapContents {
  const contents: SitemapContents = { urls: [], sitemaps: [] };
  guard(() => {
    const reader = new SitemapStream(baseUrl, { url: (u) => contents.urls.push(u), sitemap: (s) => contents.sitemaps.push(s) });
    reader.write(text);
    return reader.end();
  });
  return contents;
}

/** Bytes decoded and parsed per step; between steps the event loop runs (fetches in flight go on). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * A fetched sitemap's bytes, decoded (charset as decodeHtml picks it) and
 * parsed chunk by chunk: entries reach `sink` as they are read, and no
 * decoded copy of the whole body nor any tree is held. Resolves with the
 * counts and the well-formedness problem met (entries before and around it
 * are yielded); rejects with FEED_INVALID when the body is not a sitemap, or
 * is broken and yielded nothing.
 */
export async function readSitemapBytes(bytes: Buffer, contentType: string | null, baseUrl: string, sink: SitemapSink): Promise<SitemapSummary> {
  const { encoding, bomLength } = pickEncoding(bytes, contentType);
  const decoder = iconv.getDecoder(iconvName(encoding));
  const reader = new SitemapStream(baseUrl, sink);
  for (let at = bomLength; at < bytes.length; at += CHUNK_BYTES) {
    const chunk = decoder.write(bytes.subarray(at, at + CHUNK_BYTES));
    guard(() => reader.write(chunk));
    if (at + CHUNK_BYTES < bytes.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return guard(() => {
    reader.write(decoder.end() ?? '');
    return reader.end();
  });
}
