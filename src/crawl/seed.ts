/**
 * How a crawl starts: a resumed run first takes back what it had taken in
 * (admitted and kept before it was killed), then the given URLs (scrape) are
 * seeded, and discovery of each site (feeds, sitemaps, start URLs) starts and
 * runs alongside the page jobs it feeds.
 */
import { NewscleanError } from '../shared/errors.js';
import { compileFollowRules } from '../stages/fetch/index.js';
import type { Admitter } from './admit.js';
import { discoverSite } from './discover.js';
import type { Outcomes } from './outcomes.js';
import type { PoliteFetch } from './fetch-page.js';
import type { CrawlDeps, CrawlPlan, CrawlStats, SiteState } from './types.js';

export function siteStates(plan: CrawlPlan): SiteState[] {
  return plan.sites.map((source) => ({ source, follow: compileFollowRules(source.follow, `site ${source.name}: follow`), articles: 0 }));
}

/** The resumed entries, then the given URLs, into the frontier. */
export function seedFrontier(plan: CrawlPlan, sites: SiteState[], admitter: Admitter, outcomes: Outcomes, keyOf: (url: string) => string): void {
  const byName = new Map(sites.map((s) => [s.source.name, s]));
  const pending = plan.resume?.pending ?? [];
  const resumed = new Set<string>([...(plan.resume?.done ?? []), ...pending.map((p) => p.key)]);
  for (const p of pending) {
    admitter.forget(p.key);
    admitter.admit(p.url, p.depth, p.site === null ? null : byName.get(p.site) ?? null, { seed: true, persisted: true });
  }
  for (const url of plan.urls) {
    // A URL that is not http(s) is refused by robots.ts / http.ts as INVALID_URL, like any other.
    if (resumed.has(keyOf(url))) continue; // settled or re-queued by the resume
    if (!admitter.admit(url, 0, null, { seed: true })) outcomes.reject(url, new NewscleanError('DUPLICATE_URL', 'given twice (same canonical URL)'));
  }
}

export interface DiscoverAllInput {
  sites: SiteState[];
  fetch: PoliteFetch;
  admitter: Admitter;
  outcomes: Outcomes;
  stopped: () => boolean;
  since: Date | null;
  stats: CrawlStats;
  log: CrawlDeps['log'];
}

/** Discovery of every site (discover.ts); resolves when all of it has ended, never rejects. */
export function discoverAll(input: DiscoverAllInput): Promise<void> {
  const { admitter, outcomes } = input;
  const steps = {
    fetch: input.fetch,
    enqueue: admitter.admit,
    reject: (url: string, err: unknown) => outcomes.reject(url, err),
    aborted: input.stopped,
    since: input.since,
    stats: input.stats,
    log: input.log,
  };
  // Each feed and sitemap catches its own failures; anything else here is a bug, logged, never an unhandled rejection.
  return Promise.all(input.sites.map((site) => discoverSite(site, steps)))
    .then(() => undefined)
    .catch((err: unknown) => input.log.error({ stage: 'discover', code: 'EXTRACT_FAILED', err }, 'discovery failed unexpectedly'));
}
