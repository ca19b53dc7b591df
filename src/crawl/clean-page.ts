/**
 * The clean step of a page job: the fetched bytes go to the clean pool
 * (worker threads: decode, clean, normalize), the page's links are followed
 * up to the site's depth, and the result becomes an outcome, unless a
 * parallel job reached the article limit first.
 *
 * Input: a fetched page. Output: an outcome; followed links into the frontier.
 */
import type { Logger } from '../shared/log.js';
import { shouldFollow, type FetchResponse } from '../stages/fetch/index.js';
import type { Admitter } from './admit.js';
import type { CleanPool } from './clean-pool.js';
import type { ArticleLimits } from './limits.js';
import type { Outcomes } from './outcomes.js';
import type { CrawlStats, Job, PageMeta } from './types.js';

export interface CleanPageSteps {
  pool: CleanPool;
  now: () => Date;
  admitter: Admitter;
  limits: ArticleLimits;
  outcomes: Outcomes;
  stats: CrawlStats;
  log: Logger;
}

/** False when the page was dropped because the article limit was reached meanwhile. */
export async function cleanPage(job: Job, fetched: { res: FetchResponse; page: PageMeta }, steps: CleanPageSteps): Promise<boolean> {
  const { res, page } = fetched;
  const site = job.site;
  const follow = site !== null && job.depth < site.follow.maxDepth;
  // The listing's date goes with the page: the pipeline dates an undated page by it.
  const raw = { source: job.url, url: res.url, bytes: res.bytes, contentType: res.contentType, ...(job.listedDate && { listed: job.listedDate }) };
  const outcome = await steps.pool.process(raw, { collectLinks: follow, now: steps.now() });
  if (follow && outcome.links) {
    for (const link of outcome.links) if (shouldFollow(link, job.depth + 1, site.follow, site.source.hosts)) steps.admitter.admit(link, job.depth + 1, site);
  }
  if (outcome.ok && steps.limits.full(site)) {
    steps.stats.skipped++; // finished after the limit was reached by a parallel job
    return false;
  }
  if (outcome.ok) {
    steps.limits.count(site);
    steps.outcomes.emit({ ok: true, record: res.warc ? { ...outcome.record, warc: res.warc } : outcome.record, page });
    return true;
  }
  // Logged here, not by the pipeline (quiet in the pool): this logger carries the run and the site.
  const level = outcome.reject.code === 'EXTRACT_FAILED' ? 'error' : 'debug';
  steps.log[level]({ stage: 'clean', url: job.url, site: site?.source.name, code: outcome.reject.code }, outcome.reject.message);
  steps.outcomes.emit({ ok: false, reject: { ...outcome.reject, url: job.url, attempts: res.attempts }, page });
  return true;
}
