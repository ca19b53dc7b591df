/**
 * The fetch step of a page job: a polite request (robots.txt, the host's
 * turn, a conditional GET with the last visit's validators), then what the
 * response settles by itself: a 304 (nothing new) or a redirect to a URL this
 * run already took in.
 *
 * Input: a job from the frontier. Output: the response and its PageMeta for
 * the clean step, or the job's end (its outcome already emitted).
 */
import type { Expect, FetchResponse } from '../stages/fetch/index.js';
import type { Admitter } from './admit.js';
import { type GuardOptions, conditionalHeaders, fetchGuarded } from './fetch-guard.js';
import { type Outcomes, pageMeta } from './outcomes.js';
import { countBytes } from './stats.js';
import type { CrawlDeps, CrawlStats, Job, PageMeta, SiteState } from './types.js';

/** A polite request of the crawl, counted in the stats; pages, feeds and sitemaps all go through it. */
export type PoliteFetch = (url: string, expect: Expect, site: SiteState | null, opts?: GuardOptions) => Promise<FetchResponse>;

/** `afterRequest`: the host's request ended, so the host may be due again. */
export function createPoliteFetch(deps: CrawlDeps, stats: CrawlStats, afterRequest: () => void): PoliteFetch {
  return async (url, expect, site, opts = {}) => {
    try {
      const res = await fetchGuarded(url, expect, deps, site?.source ?? null, opts);
      countBytes(stats, res.url, res.bytes.length);
      return res;
    } finally {
      afterRequest();
    }
  };
}

export type Fetched = { res: FetchResponse; page: PageMeta } | { ended: 'failed' | 'not-modified' | 'duplicate' };

export interface FetchPageSteps {
  fetch: PoliteFetch;
  admitter: Admitter;
  keyOf: (url: string) => string;
  outcomes: Outcomes;
  stats: CrawlStats;
}

/** `release`: the frontier's claim on the job's host ends once the request is queued there. */
export async function fetchPage(job: Job, release: () => void, steps: FetchPageSteps): Promise<Fetched> {
  let res: FetchResponse;
  try {
    const headers = conditionalHeaders(job.validators);
    // The listing's date, kept in the archive beside the page: re-extracting the archive dates the page as this crawl does.
    const archiveNote = job.listedDate && { 'newsclean-listed-date': job.listedDate.at, 'newsclean-listed-from': job.listedDate.from };
    res = await steps.fetch(job.url, 'html', job.site, { ...(headers && { headers }), ...(archiveNote && { archiveNote }), onQueued: release });
  } catch (err) {
    steps.outcomes.reject(job.url, err, job);
    return { ended: 'failed' };
  }
  steps.stats.fetched++;
  const page = pageMeta(job, res, res.elapsedMs);
  if (page.notModified) {
    steps.outcomes.emit({ ok: false, reject: { source: job.url, url: job.url, code: 'NOT_MODIFIED', message: '304 Not Modified', attempts: res.attempts }, page });
    return { ended: 'not-modified' };
  }
  const finalKey = steps.keyOf(res.url);
  if (finalKey !== job.key && !steps.admitter.claim(finalKey)) {
    steps.outcomes.emit({ ok: false, reject: { source: job.url, url: job.url, code: 'DUPLICATE_URL', message: `redirects to ${res.url}, already taken in this run`, attempts: res.attempts }, page });
    return { ended: 'duplicate' };
  }
  return { res, page };
}
