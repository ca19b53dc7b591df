/**
 * The clean step of a page job: the fetched bytes go to the clean pool
 * (worker threads: decode, clean, normalize), the page's links are followed
 * up to the site's depth, and the result becomes an outcome, unless a
 * parallel job reached the article limit first.
 *
 * Input: a fetched page. Output: an outcome; followed links into the frontier.
 */
import type { Logger } from '../shared/log.js';
import type { ArticleRecord } from '../shared/types.js';
import { fullIso, toIsoDate } from '../stages/normalize/index.js';
import { shouldFollow, type FetchResponse } from '../stages/fetch/index.js';
import type { Admitter } from './admit.js';
import type { CleanPool } from './clean-pool.js';
import type { ArticleLimits } from './limits.js';
import type { Outcomes } from './outcomes.js';
import type { CrawlStats, Job, ListedDate, PageMeta } from './types.js';

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
  const outcome = await steps.pool.process({ source: job.url, url: res.url, bytes: res.bytes, contentType: res.contentType }, { collectLinks: follow, now: steps.now() });
  if (follow && outcome.links) {
    for (const link of outcome.links) if (shouldFollow(link, job.depth + 1, site.follow, site.source.hosts)) steps.admitter.admit(link, job.depth + 1, site);
  }
  if (outcome.ok && steps.limits.full(site)) {
    steps.stats.skipped++; // finished after the limit was reached by a parallel job
    return false;
  }
  if (outcome.ok) {
    steps.limits.count(site);
    const record = withListedDate(outcome.record, job.listedDate);
    steps.outcomes.emit({ ok: true, record: res.warc ? { ...record, warc: res.warc } : record, page });
    return true;
  }
  // Logged here, not by the pipeline (quiet in the pool): this logger carries the run and the site.
  const level = outcome.reject.code === 'EXTRACT_FAILED' ? 'error' : 'debug';
  steps.log[level]({ stage: 'clean', url: job.url, site: site?.source.name, code: outcome.reject.code }, outcome.reject.message);
  steps.outcomes.emit({ ok: false, reject: { ...outcome.reject, url: job.url, attempts: res.attempts }, page });
  return true;
}

/** A page that gives no date of its own takes the one the feed item or sitemap entry that listed it gave. */
export function withListedDate(record: ArticleRecord, listed: ListedDate | undefined): ArticleRecord {
  if (record.published_at !== null || !listed) return record;
  const at = fullIso(toIsoDate(listed.at));
  return at === null ? record : { ...record, published_at: at, date_source: listed.from };
}
