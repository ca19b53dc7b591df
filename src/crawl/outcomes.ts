/**
 * The crawl's last step: every outcome (an article, or a reject with its
 * code) is counted, told to the site-health tally, and handed to the consumer
 * through the channel, which pushes back when the consumer falls behind.
 *
 * Input: outcomes of page jobs and rejects of any URL (pages, feeds, sitemaps).
 * Output: the outcome stream; the counters articles / rejects per run and host.
 */
import { toNewscleanError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { FetchResponse } from '../stages/fetch/index.js';
import { headerValue } from './fetch-guard.js';
import type { SiteHealth } from './site-health.js';
import { hostStats } from './stats.js';
import type { CrawlOutcome, CrawlStats, Job, PageMeta } from './types.js';

export interface Outcomes {
  emit(o: CrawlOutcome): void;
  /** A URL that failed before it could be cleaned (robots.txt, fetch, a bug): a coded reject. */
  reject(url: string, err: unknown, job?: Job): void;
}

export interface OutcomesInput {
  push: (o: CrawlOutcome) => void;
  stats: CrawlStats;
  health: SiteHealth;
  keyOf: (url: string) => string;
  /** run.ignoreCodes: rejects that are policy or the page's nature, not a failure to reach its site. */
  ignoredCodes: readonly string[];
  log: Logger;
}

export function createOutcomes(input: OutcomesInput): Outcomes {
  const { stats, health, log } = input;
  const ignored = new Set(input.ignoredCodes);
  const emit = (o: CrawlOutcome): void => {
    if (o.ok || o.page?.notModified) health.answered(o.page?.site ?? null);
    else health.rejected(o.page?.key ?? input.keyOf(o.reject.url ?? o.reject.source), o.page?.site ?? null, o.reject.code, o.reject.message, ignored.has(o.reject.code));
    if (o.ok) {
      stats.articles++;
      hostStats(stats, o.page?.url ?? o.record.url ?? o.record.source).articles++;
    } else if (!o.page?.notModified) {
      stats.rejects++;
      hostStats(stats, o.reject.url ?? o.reject.source).rejects++;
    }
    input.push(o);
  };
  return {
    emit,
    reject(url, err, job) {
      const e = toNewscleanError(err, 'FETCH_FAILED');
      if (e.code === 'INTERRUPTED') return; // not fetched: the frontier keeps it for the next run
      log.debug({ stage: 'fetch', url, site: job?.site?.source.name, code: e.code, attempts: e.attempts }, e.message);
      const page = job && pageMeta(job, { attempts: e.attempts ?? 0 });
      emit({ ok: false, reject: { source: url, url, code: e.code, message: e.message, ...(e.attempts !== undefined && { attempts: e.attempts }) }, ...(page && { page }) });
    },
  };
}

/** What the run's bookkeeping keeps about a page's fetch (validators for the next visit, sizes, times). */
export function pageMeta(job: Job, res: { attempts: number; headers?: FetchResponse['headers']; status?: number; bytes?: Buffer }, fetchMs = 0): PageMeta {
  return {
    key: job.key,
    url: job.url,
    site: job.site?.source.name ?? null,
    depth: job.depth,
    attempts: res.attempts,
    etag: headerValue(res.headers?.etag),
    lastModified: headerValue(res.headers?.['last-modified']),
    notModified: res.status === 304,
    bytes: res.bytes?.length ?? 0,
    fetchMs,
  };
}
