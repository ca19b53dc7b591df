/**
 * The crawl's steps for a crawl spread over many workers (src/queue/): the
 * frontier is a shared queue instead of this process's per-host FIFO.
 *
 * - `planJobs`: the coordinator's part: seeds and discovery (feeds, sitemaps,
 *   start URLs) through the admit step and the state's gate, each admitted
 *   URL handed to `onJob` (which puts it on the queue) instead of a frontier.
 * - `runQueuedPage`: a worker's part: one page job through the same fetch and
 *   clean steps as a local crawl; its outcome and the links it leads to are
 *   returned, for the worker to write and to queue.
 */
import { createAdmitter } from './admit.js';
import type { Frontier } from './frontier.js';
import { createPoliteFetch } from './fetch-page.js';
import { createArticleLimits } from './limits.js';
import { createOutcomes } from './outcomes.js';
import { type PageJobSteps, runPageJob } from './page-job.js';
import { discoverAll, seedFrontier, siteStates } from './seed.js';
import { type SiteHealth, createSiteHealth } from './site-health.js';
import { newCrawlStats } from './stats.js';
import type { CrawlDeps, CrawlOutcome, CrawlPlan, CrawlStats, Job, SiteState } from './types.js';
import { canonicalizeUrl } from '../stages/normalize/index.js';

/** A frontier that holds nothing: each job goes straight to `onJob`. */
const handOver = (onJob: (job: Job) => void): Frontier<Job> => ({
  push: (_host, job) => onJob(job),
  take: () => ({ job: null, wakeAt: null }),
  release: () => undefined,
  size: () => 0,
});

/** Seeds and discovery of a plan; resolves when discovery has ended, with its counters and the outcomes of failed feeds, sitemaps and seeds. */
export async function planJobs(plan: CrawlPlan, deps: CrawlDeps, onJob: (job: Job) => void): Promise<{ stats: CrawlStats; outcomes: CrawlOutcome[]; health: SiteHealth }> {
  const stats = newCrawlStats();
  const keyOf = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  const health = createSiteHealth(plan.sites, keyOf);
  const rejected: CrawlOutcome[] = [];
  const outcomes = createOutcomes({ push: (o) => rejected.push(o), stats, health, keyOf, ignoredCodes: deps.config.run.ignoreCodes, log: deps.log });
  const admitter = createAdmitter({ done: plan.resume?.done ?? [], keyOf, frontier: handOver(onJob), gate: deps.gate, stats, onQueued: () => undefined });
  const sites = siteStates(plan);
  seedFrontier(plan, sites, admitter, outcomes, keyOf);
  const fetch = createPoliteFetch(deps, stats, () => undefined);
  await discoverAll({ sites, fetch, admitter, outcomes, stopped: () => deps.signal?.aborted === true, since: plan.since, stats, log: deps.log });
  return { stats, outcomes: rejected, health };
}

/** What a worker keeps per run: the sites by name and the counters its page jobs add to. */
export interface QueuedRun {
  sites: Map<string, SiteState>;
  stats: CrawlStats;
  health: SiteHealth;
}

export function queuedRun(plan: CrawlPlan, deps: CrawlDeps): QueuedRun {
  const keyOf = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  return { sites: new Map(siteStates(plan).map((s) => [s.source.name, s])), stats: newCrawlStats(), health: createSiteHealth(plan.sites, keyOf) };
}

export interface QueuedLink { url: string; key: string; depth: number; site: SiteState }

/** One page job: fetched, cleaned, its outcome and the links to follow (not yet gated: the worker asks the state). */
export async function runQueuedPage(job: Job, run: QueuedRun, deps: CrawlDeps): Promise<{ outcomes: CrawlOutcome[]; links: QueuedLink[] }> {
  const keyOf = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  const outcomes: CrawlOutcome[] = [];
  const links: QueuedLink[] = [];
  const steps: PageJobSteps = {
    fetch: createPoliteFetch(deps, run.stats, () => undefined),
    // The queue takes each URL once per run (a Redis set), so this step only collects.
    admitter: {
      admit: (url, depth, site) => (site !== null && links.push({ url, key: keyOf(url), depth, site }), true),
      claim: () => true,
      forget: () => undefined,
      close: () => undefined,
    },
    keyOf,
    outcomes: createOutcomes({ push: (o) => outcomes.push(o), stats: run.stats, health: run.health, keyOf, ignoredCodes: deps.config.run.ignoreCodes, log: deps.log }),
    stats: run.stats,
    pool: deps.pool,
    now: deps.now ?? (() => new Date()),
    limits: createArticleLimits(null),
    log: deps.log,
  };
  await runPageJob(job, () => undefined, steps);
  return { outcomes, links };
}
