/** The crawl's counters (CrawlStats): a fresh set, and the per-host tally. */
import { hostOf } from '../shared/url.js';
import type { CrawlStats, HostStats } from './types.js';

export function newCrawlStats(): CrawlStats {
  return { discovered: 0, fetched: 0, articles: 0, rejects: 0, skipped: 0, known: 0, deferred: 0, tooOld: 0, bytes: 0, discoveryWarnings: 0, hosts: {}, sitesFailed: [] };
}

/** The tally of `url`'s host, created on first use. */
export function hostStats(stats: CrawlStats, url: string): HostStats {
  return (stats.hosts[hostOf(url)] ??= { fetched: 0, bytes: 0, articles: 0, rejects: 0 });
}

/** A response body received from `url` (a page, feed or sitemap). */
export function countBytes(stats: CrawlStats, url: string, bytes: number): void {
  stats.bytes += bytes;
  const h = hostStats(stats, url);
  h.fetched++;
  h.bytes += bytes;
}
