/**
 * Huge and hostile input: parsers stay linear, never overflow the stack, and
 * fail only with FEED_INVALID. Time limits are loose (CI machines are slow);
 * a quadratic path would blow them by orders of magnitude.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../../src/shared/errors.js';
import { parseFeed } from '../../../../src/stages/fetch/discover/feeds.js';
import { parseSitemap } from '../../../../src/stages/fetch/discover/sitemaps.js';
import { normalizeFeedDate } from '../../../../src/stages/fetch/discover/feed-dates.js';

const BASE = 'https://news.example/feed';

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** Returns normally or throws FEED_INVALID; anything else fails the test. */
function onlyFeedInvalid(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('FEED_INVALID');
  }
}

describe('huge inputs', () => {
  it('parses an RSS feed with 50 000 items quickly', () => {
    const item = (i: number) => `<item><title><![CDATA[خبر ${i}]]></title><link>/n/${i}</link><pubDate>Wed, 07 Oct 2020 12:09:00 +0300</pubDate></item>`;
    const body = `<rss><channel>${Array.from({ length: 50_000 }, (_, i) => item(i)).join('')}</channel></rss>`;
    const { result, ms } = timed(() => parseFeed(body, BASE));
    expect(result).toHaveLength(50_000);
    expect(result[49_999]).toEqual({ url: 'https://news.example/n/49999', published: '2020-10-07T12:09:00+03:00', title: 'خبر 49999', via: 'feed' });
    expect(ms).toBeLessThan(10_000);
  });

  it('parses a 50 000-URL sitemap (the protocol maximum) quickly', () => {
    const body = `<urlset>${Array.from({ length: 50_000 }, (_, i) => `<url><loc>https://news.example/${i}</loc><lastmod>2024-10-16</lastmod></url>`).join('\n')}</urlset>`;
    const { result, ms } = timed(() => parseSitemap(body, BASE));
    expect(result.urls).toHaveLength(50_000);
    expect(ms).toBeLessThan(10_000);
  });

  it('parses a 50 000-line text sitemap quickly', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `https://news.example/${i}`);
    const { result, ms } = timed(() => parseSitemap(lines.join('\n'), BASE));
    expect(result.urls).toHaveLength(50_000);
    expect(ms).toBeLessThan(10_000);
  });

  it('survives a title nested 200 000 elements deep (no recursion, no stack overflow)', () => {
    const depth = 200_000;
    const title = `${'<b>'.repeat(depth)}deep${'</b>'.repeat(depth)}`;
    const body = `<rss><channel><item><title>${title}</title><link>/deep</link></item></channel></rss>`;
    const { result, ms } = timed(() => parseFeed(body, BASE));
    expect(result).toEqual([{ url: 'https://news.example/deep', published: null, title: 'deep', via: 'feed' }]);
    expect(ms).toBeLessThan(10_000);
  });

  it.each([
    ['a megabyte of "<"', '<'.repeat(1_000_000)],
    ['a megabyte of "<rss"', '<rss'.repeat(250_000)],
    ['200 000 unclosed items', `<rss><channel>${'<item><link>/x'.repeat(200_000)}`],
    ['a megabyte of whitespace', ' '.repeat(1_000_000)],
    ['a huge single-line date', `<rss><channel><item><link>/a</link><pubDate>${'Wed, '.repeat(200_000)}</pubDate></item></channel></rss>`],
    ['deeply nested JSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['deeply nested JSON object', `{"version":"https://jsonfeed.org/version/1","items":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
  ])('handles %s in linear time with at most FEED_INVALID', (_, body) => {
    const { ms } = timed(() => {
      onlyFeedInvalid(() => parseFeed(body, BASE));
      onlyFeedInvalid(() => parseSitemap(body, BASE));
    });
    expect(ms).toBeLessThan(10_000);
  });
});

describe('garbage never throws anything but FEED_INVALID', () => {
  const pieces = fc.constantFrom(
    '<rss>', '</rss>', '<channel>', '<item>', '</item>', '<link>', '</link>', '<guid isPermaLink="false">', '<feed>', '<entry>',
    '<link href="', '" rel="alternate"/>', '<urlset>', '<url>', '<loc>', '</loc>', '<sitemapindex>', '<news:news>',
    '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '&amp;', '&#x', ';', 'javascript:', 'https://a.example/', '/rel',
    'xml:base="', '{"version":"https://jsonfeed.org/version/1","items":[', '{"url":', '"', ']}', '\uFEFF', '\n', 'Wed, 07 Oct 2020', '+0300',
  );
  const garbage = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 40 }).map((a) => a.join('')));

  it('parseFeed', () => {
    fc.assert(fc.property(garbage, (text) => onlyFeedInvalid(() => parseFeed(text, BASE))), { numRuns: 500 });
  });

  it('parseSitemap', () => {
    fc.assert(fc.property(garbage, (text) => onlyFeedInvalid(() => parseSitemap(text, BASE))), { numRuns: 500 });
  });

  it('normalizeFeedDate never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        normalizeFeedDate(text);
      }),
      { numRuns: 500 },
    );
  });

  it('every URL returned is absolute http(s)', () => {
    fc.assert(
      fc.property(garbage, (text) => {
        try {
          for (const { url } of parseFeed(text, BASE)) expect(url).toMatch(/^https?:\/\//);
        } catch {
          // FEED_INVALID is checked above
        }
      }),
      { numRuns: 300 },
    );
  });
});
