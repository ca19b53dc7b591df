/**
 * A parsed feed must not stay in memory once its items are taken: nothing
 * module-level may keep a string sliced from the document (V8 slices of 13+
 * characters point into the whole parent string).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../src/stages/fetch/discover/feeds.js';
import { readSitemapBytes } from '../../../../src/stages/fetch/discover/sitemaps.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A ~40 MB Atom-in-RSS feed whose tag names are long enough to be sliced, not copied. */
function bigFeed(): string {
  const item = (i: number) =>
    `<item><link>https://a.example/${i}</link><dc:identifier_long_name>${'خ'.repeat(800)}</dc:identifier_long_name><atom:updated_timestamp>x</atom:updated_timestamp></item>`;
  return `<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel>${Array.from({ length: 25_000 }, (_, i) => item(i)).join('')}</channel></rss>`;
}

describe('memory', () => {
  it('keeps nothing of a parsed feed but its items', () => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const count = ((): number => parseFeed(bigFeed(), 'https://a.example/').length)();
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    expect(count).toBe(25_000);
    expect(kept).toBeLessThan(10 * 1024 * 1024); // the feed text alone is ~40 MB (two bytes a character)
  });

  it('keeps nothing of a streamed sitemap but the entries given out', async () => {
    const entry = (i: number) => `<url><loc>https://a.example/${i}</loc><news:news><news:publication_date>2026-12-04</news:publication_date><news:title>${'خ'.repeat(800)}</news:title></news:news></url>`;
    gc();
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    await (async () => {
      const bytes = Buffer.from(`<urlset>${Array.from({ length: 25_000 }, (_, i) => entry(i)).join('')}</urlset>`);
      await readSitemapBytes(bytes, 'application/xml', 'https://a.example/', { url: () => void count++, sitemap: () => {} });
    })();
    gc();
    expect(count).toBe(25_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(10 * 1024 * 1024);
  });
});
