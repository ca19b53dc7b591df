/**
 * The discover step: a site's feeds and sitemaps (indexes followed, up to
 * MAX_SITEMAPS_PER_SITE) fetched politely, their items taken into the
 * frontier (dated ones only from --since on), and its start URLs. A document
 * that is broken but partly readable gives what it can and a FEED_INVALID
 * warning; one that fails is a reject of its URL.
 */
import type { Logger } from '../shared/log.js';
import { type Expect, type FetchResponse, parseFeedChecked, readSitemapBytes, isSince } from '../stages/fetch/index.js';
import { decodeHtml } from '../shared/decode.js';
import type { CrawlStats, ListedDate, SiteState } from './types.js';

/** Child sitemaps read per site (a sitemap index can list thousands). */
const MAX_SITEMAPS_PER_SITE = 200;

/** What discovery needs from the crawl: its inputs, and where what it finds goes. */
export interface DiscoverSteps {
  fetch(url: string, expect: Expect, site: SiteState): Promise<FetchResponse>;
  /** Take a URL into the frontier (false when seen before). */
  enqueue(url: string, depth: number, site: SiteState, opts?: { seed?: boolean; listedDate?: ListedDate | undefined }): boolean;
  reject(url: string, err: unknown): void;
  aborted(): boolean;
  since: Date | null;
  stats: Pick<CrawlStats, 'tooOld' | 'discoveryWarnings'>;
  log: Logger;
}

export async function discoverSite(site: SiteState, steps: DiscoverSteps): Promise<void> {
  const tasks = [...site.source.feeds.map((f) => readFeed(f, site, steps)), ...site.source.sitemaps.map((s) => readSitemaps(s, site, steps))];
  for (const u of site.source.startUrls) steps.enqueue(u, 0, site, { seed: true });
  await Promise.all(tasks);
}

const listed = (at: string | null, from: ListedDate['from']): ListedDate | undefined => (at ? { at, from } : undefined);

async function readFeed(feedUrl: string, site: SiteState, steps: DiscoverSteps): Promise<void> {
  const { stats } = steps;
  try {
    const res = await steps.fetch(feedUrl, 'xml', site);
    const { items, problem } = parseFeedChecked(decodeHtml({ source: feedUrl, url: res.url, bytes: res.bytes, contentType: res.contentType }).html, res.url);
    for (const item of items) {
      if (isSince(item.published, steps.since)) steps.enqueue(item.url, 1, site, { listedDate: listed(item.published, 'feed') });
      else stats.tooOld++;
    }
    if (problem !== null) {
      stats.discoveryWarnings++;
      steps.log.warn({ stage: 'discover', site: site.source.name, url: feedUrl, code: 'FEED_INVALID', items: items.length }, `feed is not well-formed XML, ${items.length} items read: ${problem}`);
    }
  } catch (err) {
    steps.reject(feedUrl, err);
  }
}

async function readSitemaps(rootUrl: string, site: SiteState, steps: DiscoverSteps): Promise<void> {
  const { stats } = steps;
  const pending = [rootUrl];
  const done = new Set<string>();
  while (pending.length > 0 && done.size < MAX_SITEMAPS_PER_SITE && !steps.aborted()) {
    const url = pending.shift()!;
    if (done.has(url)) continue;
    done.add(url);
    try {
      const res = await steps.fetch(url, 'xml', site);
      // Streamed: entries are taken in as they are parsed, with no decoded copy of the body and no tree.
      const read = await readSitemapBytes(res.bytes, res.contentType, res.url, {
        url: (item) => {
          if (isSince(item.published, steps.since)) steps.enqueue(item.url, 1, site, { listedDate: listed(item.published, 'sitemap') });
          else stats.tooOld++;
        },
        sitemap: (child) => {
          if (isSince(child.lastmod, steps.since)) pending.push(child.url);
        },
      });
      if (read.problem !== null) {
        stats.discoveryWarnings++;
        const items = read.urls + read.sitemaps;
        steps.log.warn({ stage: 'discover', site: site.source.name, url, code: 'FEED_INVALID', items }, `sitemap is not well-formed XML, ${items} entries read: ${read.problem}`);
      }
    } catch (err) {
      steps.reject(url, err);
    }
  }
}
