/**
 * Crawl and scrape: discovery (feeds, sitemaps, links) → polite fetch →
 * clean/normalize on the worker pool → outcomes. Every URL taken in ends as
 * an article or a coded reject; nothing a server sends can crash the run.
 *
 * The frontier is breadth-first per host: start URLs, feed and sitemap items,
 * then the links of fetched pages up to each site's follow depth; a free job
 * slot goes to the host whose next request may start earliest
 * (frontier.ts). URLs are compared in canonical form, so a URL is
 * fetched at most once per run.
 */
import { setMaxListeners } from 'node:events';
import { canonicalizeUrl } from '../stages/normalize/index.js';
import { createAdmitter } from './admit.js';
import { createChannel } from './channel.js';
import { createPoliteFetch } from './fetch-page.js';
import { createFrontier } from './frontier.js';
import { createArticleLimits } from './limits.js';
import { createOutcomes } from './outcomes.js';
import { type PageJobSteps, runPageJob } from './page-job.js';
import { discoverAll, seedFrontier, siteStates } from './seed.js';
import { createSiteHealth } from './site-health.js';
import { createJobSlots } from './slots.js';
import { newCrawlStats } from './stats.js';
import type { CrawlDeps, CrawlOutcome, CrawlPlan, CrawlStats, Job } from './types.js';

export { type QueuedLink, type QueuedRun, planJobs, queuedRun, runQueuedPage } from './queued.js';
export type { Admission, CrawlDeps, CrawlGate, CrawlOutcome, CrawlPlan, CrawlStats, FrontierEntry, HostStats, Job, ListedDate, PageMeta, SiteState } from './types.js';

/** Jobs in flight per fetch slot: enough to keep the fetch slots busy while pages are cleaned (jobs are taken only for hosts that are due). */
const JOBS_PER_SLOT = 2;

export function crawl(plan: CrawlPlan, deps: CrawlDeps): { outcomes: AsyncIterable<CrawlOutcome>; stats: CrawlStats } {
  const stats = newCrawlStats();
  return { outcomes: stoppable(plan, deps, stats), stats };
}

/**
 * The outcomes, stopped hard when the consumer quits before the end (an
 * output that failed, stdout closed): no new fetch starts and fetches in
 * flight are cancelled, so the process ends at once instead of crawling on
 * for nobody. The caller's own signal stays a graceful stop (see CrawlDeps).
 */
async function* stoppable(plan: CrawlPlan, deps: CrawlDeps, stats: CrawlStats): AsyncGenerator<CrawlOutcome> {
  const graceful = new AbortController();
  const hard = new AbortController();
  // Every request in flight and every politeness wait listens on these: many at once is the design, not a leak.
  setMaxListeners(0, graceful.signal, hard.signal);
  const onStop = (): void => graceful.abort(deps.signal?.reason);
  if (deps.signal?.aborted) onStop();
  else deps.signal?.addEventListener('abort', onStop, { once: true });
  let finished = false;
  try {
    yield* run(plan, { ...deps, signal: graceful.signal, cancel: hard.signal }, stats);
    finished = true;
  } finally {
    deps.signal?.removeEventListener('abort', onStop);
    if (!finished) {
      hard.abort();
      graceful.abort();
    }
  }
}

/**
 * The crawl pipeline: discover → admit (frontier) → fetch → clean → outcomes,
 * each step a file of its own, joined here. Back-pressure: outcomes wait in a
 * channel for the consumer; once it holds two job-loads, no new job starts
 * until the consumer catches up.
 */
async function* run(plan: CrawlPlan, deps: CrawlDeps, stats: CrawlStats): AsyncGenerator<CrawlOutcome> {
  const keyOf = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  const stopped = (): boolean => deps.signal?.aborted === true;
  const limit = deps.config.fetch.concurrency * JOBS_PER_SLOT;
  const channel = createChannel<CrawlOutcome>(limit * 2, () => slots.pump());
  const frontier = createFrontier<Job>();
  const health = createSiteHealth(plan.sites, keyOf);
  const outcomes = createOutcomes({ push: channel.push, stats, health, keyOf, ignoredCodes: deps.config.run.ignoreCodes, log: deps.log });
  const admitter = createAdmitter({ done: plan.resume?.done ?? [], keyOf, frontier, gate: deps.gate, stats, onQueued: () => slots.pump() });
  const fetch = createPoliteFetch(deps, stats, () => slots.pump());
  const steps: PageJobSteps = {
    fetch, admitter, keyOf, outcomes, stats, pool: deps.pool, now: deps.now ?? (() => new Date()),
    limits: createArticleLimits(plan.maxArticles), log: deps.log, onPageDone: deps.onPageDone,
  };
  let discovering = true;
  const slots = createJobSlots({
    frontier, limit, refillAt: limit - deps.config.fetch.concurrency, readyAt: deps.hosts.readyAt, stopped,
    backedUp: channel.full,
    discovering: () => discovering,
    start: (job, release) => runPageJob(job, release, steps),
    onEnd: () => (admitter.close(), channel.close()),
  });
  deps.signal?.addEventListener('abort', () => slots.maybeEnd(), { once: true });

  const sites = siteStates(plan);
  seedFrontier(plan, sites, admitter, outcomes, keyOf);
  void discoverAll({ sites, fetch, admitter, outcomes, stopped, since: plan.since, stats, log: deps.log }).finally(() => {
    discovering = false;
    slots.maybeEnd();
  });

  yield* channel.drain();
  stats.sitesFailed = stopped() ? [] : health.failures();
  for (const f of stats.sitesFailed) deps.log.error({ stage: 'fetch', site: f.site, code: f.code }, `site ${f.site} could not be reached: ${f.message}`);
}
