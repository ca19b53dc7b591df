import { describe, expect, it } from 'vitest';
import { createSiteHealth } from '../../src/crawl/site-health.js';
import type { SiteSource } from '../../src/config/sources.js';

const site = (name: string, over: Partial<SiteSource>): SiteSource => ({ name, feeds: [], sitemaps: [], startUrls: [], ...over }) as unknown as SiteSource;
const key = (u: string): string => u;

describe('site health', () => {
  const a = site('a', { feeds: ['http://a/feed'], sitemaps: ['http://a/sm'], startUrls: ['http://a/'] });
  const b = site('b', { feeds: ['http://b/feed'] });

  it('a site whose every entry point failed is a failure; robots 5xx names ROBOTS_UNAVAILABLE', () => {
    const h = createSiteHealth([a, b], key);
    h.rejected('http://a/feed', null, 'SITE_UNREACHABLE', 'refused', false);
    h.rejected('http://a/sm', null, 'SITE_UNREACHABLE', 'refused', false);
    h.rejected('http://a/', 'a', 'SITE_UNREACHABLE', 'refused', false);
    h.rejected('http://b/feed', null, 'ROBOTS_UNAVAILABLE', 'robots 503', false);
    expect(h.failures()).toEqual([
      { site: 'a', code: 'SITE_UNREACHABLE', message: 'refused (and 2 more entry points)', entries: expect.any(Array) },
      { site: 'b', code: 'ROBOTS_UNAVAILABLE', message: 'robots 503', entries: [{ url: 'http://b/feed', code: 'ROBOTS_UNAVAILABLE' }] },
    ]);
  });

  it('one working entry point, an answer from the site, or a benign reject is no site failure', () => {
    const h = createSiteHealth([a, b], key);
    h.rejected('http://a/feed', null, 'HTTP_404', 'gone', false); // the sitemap did not fail
    h.rejected('http://b/feed', null, 'FETCH_FAILED', 'reset', false);
    h.answered('b'); // but a page of b came back
    expect(h.failures()).toEqual([]);
    const h2 = createSiteHealth([b], key);
    h2.rejected('http://b/feed', null, 'ROBOTS_DISALLOWED', 'policy', true);
    expect(h2.failures()).toEqual([]);
  });

  it('a start URL that was never fetched (already done in a resumed run) does not block the verdict', () => {
    const h = createSiteHealth([a], key);
    h.rejected('http://a/feed', null, 'FETCH_TIMEOUT', 't', false);
    h.rejected('http://a/sm', null, 'FETCH_TIMEOUT', 't', false);
    expect(h.failures().map((f) => f.site)).toEqual(['a']);
  });
});
