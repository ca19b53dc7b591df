/**
 * One page through the crawl: fetch step → clean step → outcome. A job whose
 * site (or the run) already has its articles is skipped unfetched.
 */
import { toNewscleanError } from '../shared/errors.js';
import { type CleanPageSteps, cleanPage } from './clean-page.js';
import { type FetchPageSteps, fetchPage } from './fetch-page.js';
import type { CrawlDeps, Job } from './types.js';

export type PageJobSteps = FetchPageSteps & CleanPageSteps & Pick<CrawlDeps, 'onPageDone'>;

/** Never rejects: a failure anywhere is the job's reject (EXTRACT_FAILED when it is a bug). */
export async function runPageJob(job: Job, release: () => void, steps: PageJobSteps): Promise<void> {
  try {
    await fetchAndClean(job, release, steps);
  } catch (err) {
    steps.outcomes.reject(job.url, toNewscleanError(err, 'EXTRACT_FAILED'), job);
  }
}

async function fetchAndClean(job: Job, release: () => void, steps: PageJobSteps): Promise<void> {
  if (steps.limits.full(job.site)) {
    steps.stats.skipped++;
    return;
  }
  const started = performance.now();
  const done = (): void => steps.onPageDone?.(job.url, performance.now() - started);
  const fetched = await fetchPage(job, release, steps);
  if ('ended' in fetched) {
    if (fetched.ended === 'not-modified') done();
    return;
  }
  if (await cleanPage(job, fetched, steps)) done();
}
