/**
 * The fetcher's per-request size cap (FetchOptions.maxBytes): discovery asks
 * for fetch.maxDiscoveryBytes instead of the page limit, and for a gzip file
 * (sitemap.xml.gz) the cap is on the uncompressed size.
 */
import type dns from 'node:dns';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { NewscleanError } from '../../../src/shared/errors.js';
import { createFetcher } from '../../../src/stages/fetch/http.js';

const SITE = 'https://news.example';
const lookup = ((_h: string, opts: dns.LookupOptions, cb: (...a: unknown[]) => void) =>
  opts.all ? cb(null, [{ address: '93.184.216.34', family: 4 }]) : cb(null, '93.184.216.34', 4)) as unknown as typeof dns.lookup;

/** A fetcher whose page limit (fetch.maxBytes) is 10 000 bytes. */
const fetcher = () => createFetcher(ConfigSchema.parse({ fetch: { maxBytes: 10_000, retries: { limit: 0 } } }).fetch, { lookup });

async function failure(p: Promise<unknown>): Promise<NewscleanError> {
  const err = await p.then(() => new Error('resolved'), (e: unknown) => e);
  if (!(err instanceof NewscleanError)) throw new Error(`expected a NewscleanError, got ${String(err)}`);
  return err;
}

const sitemapOf = (n: number): string =>
  `<urlset>${Array.from({ length: n }, (_, i) => `<url><loc>${SITE}/%D8%AE%D8%A8%D8%B1-${i}</loc></url>`).join('')}</urlset>`;

describe('FetchOptions.maxBytes', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());

  it('lets a body over fetch.maxBytes through when the request allows more (declared and streamed sizes)', async () => {
    const body = sitemapOf(500); // ~30 KB
    nock(SITE).get('/sitemap.xml').reply(200, body, { 'content-type': 'application/xml', 'content-length': String(body.length) });
    const res = await fetcher().fetch(`${SITE}/sitemap.xml`, { expect: 'xml', maxBytes: 1_000_000 });
    expect(res.bytes.toString()).toBe(body);
  });

  it('still refuses what passes the request cap: TOO_LARGE', async () => {
    nock(SITE).get('/sitemap.xml').reply(200, sitemapOf(500), { 'content-type': 'application/xml' });
    const err = await failure(fetcher().fetch(`${SITE}/sitemap.xml`, { expect: 'xml', maxBytes: 20_000 }));
    expect(err.code).toBe('TOO_LARGE');
  });

  it('without it, fetch.maxBytes applies as before', async () => {
    nock(SITE).get('/sitemap.xml').reply(200, sitemapOf(500), { 'content-type': 'application/xml' });
    expect((await failure(fetcher().fetch(`${SITE}/sitemap.xml`, { expect: 'xml' }))).code).toBe('TOO_LARGE');
  });

  it('caps a .xml.gz sitemap by its uncompressed size', async () => {
    const body = sitemapOf(2000); // ~120 KB uncompressed, a few KB gzipped
    const gz = gzipSync(body);
    expect(gz.length).toBeLessThan(10_000);
    nock(SITE).get('/s.xml.gz').twice().reply(200, gz, { 'content-type': 'application/gzip' });
    const res = await fetcher().fetch(`${SITE}/s.xml.gz`, { expect: 'xml', maxBytes: 1_000_000 });
    expect(res.bytes.toString()).toBe(body);
    const err = await failure(fetcher().fetch(`${SITE}/s.xml.gz`, { expect: 'xml', maxBytes: 100_000 }));
    expect(err.code).toBe('TOO_LARGE');
  });
});
