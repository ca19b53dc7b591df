/**
 * A crawled page that gives no date of its own takes the date of the feed item
 * or sitemap entry that listed it, with date_source saying so; a page that
 * dates itself keeps its own date.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import type { SiteSource } from '../../src/config/sources.js';
import { withListedDate } from '../../src/stages/normalize/index.js';
import { crawl } from '../../src/crawl/index.js';
import { createCrawlDeps } from '../../src/crawl/deps.js';
import { silentLogger } from '../../src/shared/log.js';
import type { ArticleRecord } from '../../src/shared/types.js';
// @ts-expect-error: plain ESM helper shared with the benchmark scripts
import { articleHtml } from '../../scripts/lib/generated-site.mjs';

const undated = (n: number): string => (articleHtml(n) as string).replace(/<meta property="article:published_time"[^>]*>/, '');

describe('withListedDate', () => {
  const record = { published_at: null, date_source: null } as unknown as ArticleRecord;
  it('fills an undated record in the one ISO form, and says where the date came from', () => {
    expect(withListedDate(record, { at: 'Mon, 12 Oct 2026 09:00:00 +0300', from: 'feed' })).toMatchObject({ published_at: '2026-10-12T09:00:00+03:00', date_source: 'feed' });
    expect(withListedDate(record, { at: '2026-10-11', from: 'sitemap' })).toMatchObject({ published_at: '2026-10-11T00:00:00Z', date_source: 'sitemap' });
  });
  it('leaves a dated record, a missing and an unreadable listing date alone', () => {
    const dated = { published_at: '2026-01-02T03:04:05Z', date_source: 'meta' } as unknown as ArticleRecord;
    expect(withListedDate(dated, { at: '2026-10-11', from: 'feed' })).toBe(dated);
    expect(withListedDate(record, undefined)).toBe(record);
    expect(withListedDate(record, { at: 'soon', from: 'feed' })).toBe(record);
  });
});

describe('crawl: feed and sitemap dates for undated pages', () => {
  let server: Server;
  let origin = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const send = (type: string, body: string) => res.writeHead(200, { 'content-type': type }).end(body);
      if (path === '/feed.xml') {
        return send('application/rss+xml', `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
          <item><title>a</title><link>${origin}/undated/1.html</link><pubDate>Mon, 12 Oct 2026 09:00:00 +0300</pubDate></item>
          <item><title>b</title><link>${origin}/dated/2.html</link><pubDate>Mon, 12 Oct 2026 09:00:00 +0300</pubDate></item></channel></rss>`);
      }
      if (path === '/sitemap.xml') {
        return send('application/xml', `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/undated/3.html</loc><lastmod>2026-10-09</lastmod></url></urlset>`);
      }
      if (path.startsWith('/undated/')) return send('text/html; charset=utf-8', undated(Number(path.match(/\d+/)![0])));
      if (path.startsWith('/dated/')) return send('text/html; charset=utf-8', articleHtml(Number(path.match(/\d+/)![0])));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('takes the listing date only where the page has none', async () => {
    const config = defaultConfig();
    config.fetch = { ...config.fetch, allowPrivateNetworks: true, perHost: { concurrency: 2, delayMs: 0 } };
    const site: SiteSource = {
      name: 'dates', enabled: true, feeds: [`${origin}/feed.xml`], sitemaps: [`${origin}/sitemap.xml`], startUrls: [],
      follow: { allow: [], deny: [], maxDepth: 0 }, maxArticles: null, hosts: ['127.0.0.1'], perHost: null, userAgent: null, schedule: null,
    };
    const deps = createCrawlDeps(config, silentLogger, 0);
    const records = new Map<string, ArticleRecord>();
    try {
      for await (const o of crawl({ sites: [site], urls: [], maxArticles: null, since: null }, deps).outcomes) if (o.ok) records.set(new URL(o.record.source).pathname, o.record);
    } finally {
      await deps.close();
    }
    expect(records.get('/undated/1.html')).toMatchObject({ published_at: '2026-10-12T09:00:00+03:00', date_source: 'feed' });
    expect(records.get('/undated/3.html')).toMatchObject({ published_at: '2026-10-09T00:00:00Z', date_source: 'sitemap' });
    expect(records.get('/dated/2.html')).toMatchObject({ published_at: '2026-10-03T09:00:00+03:00', date_source: 'meta' });
  }, 20_000);
});
