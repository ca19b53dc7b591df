/**
 * One page job in a worker: fetched and cleaned by the crawl's own steps
 * (crawl/queued.ts), the links it leads to asked at the state's gate and
 * queued, then its outcome written to this worker's part and remembered in
 * the state (run/outcomes.ts: the line first, then the state), and the
 * worker's counts for the run published (run-context.ts).
 */
import type { CrawlOutcome, Job as QueueJob } from '../crawl/index.js';
import { runQueuedPage } from '../crawl/index.js';
import { writeOutcomes } from '../run/index.js';
import { hostOf } from '../shared/url.js';
import { type PageJobData, addPageJobs, markSeen } from './page-jobs.js';
import type { RunContext, WorkerContext } from './run-context.js';
import { writtenBefore } from './takeover.js';

/** `runAgain`: the job was started before (a worker died holding it, or its last try failed; see takeover.ts). */
export async function workPage(data: PageJobData, run: RunContext, w: WorkerContext, runAgain = false): Promise<void> {
  const job: QueueJob = {
    url: data.url, host: hostOf(data.url), key: data.key, depth: data.depth,
    site: data.site === null ? null : run.queued.sites.get(data.site) ?? null, validators: data.validators, listedDate: data.listedDate,
  };
  const siteMax = job.site?.source.maxArticles ?? null;
  if (await run.limits.full(data.site, siteMax)) {
    run.tally.counts.skipped++; // the run or the site has its articles: not fetched
    return run.jobFinished(data.key);
  }
  const { outcomes, links } = await runQueuedPage(job, run.queued, run.deps);
  const next: Array<Omit<PageJobData, 'runId'>> = [];
  const skipped: string[] = [];
  for (const link of links) {
    const entry = { key: link.key, url: link.url, depth: link.depth, site: link.site.source.name };
    const admission = run.ledger.gate.admit(entry, false);
    if (admission.fetch) next.push({ ...entry, validators: admission.validators });
    else {
      skipped.push(link.key);
      run.tally.counts[admission.reason]++;
    }
  }
  // The links are queued before this page's line is written, as a local crawl keeps them before (run/outcomes.ts).
  await markSeen(w.redis, data.runId, skipped);
  run.tally.counts.discovered += await addPageJobs(w.queue, w.redis, data.runId, next);
  const placed: CrawlOutcome[] = [];
  for (const o of outcomes) {
    if (!o.ok || (await run.limits.take(data.site, siteMax))) placed.push(o);
    else run.tally.counts.skipped++; // finished after the last place was taken by another job
  }
  const toWrite = runAgain ? await withoutWrittenBefore(placed, run) : placed;
  run.catchUp();
  await writeOutcomes(toWrite, { ledger: run.ledger, records: run.parts.records, rejects: run.parts.rejects, tally: run.tally });
  await run.jobFinished(data.key);
}

/** A job run again whose article a worker already wrote: adopted, not written again. */
async function withoutWrittenBefore(outcomes: CrawlOutcome[], run: RunContext): Promise<CrawlOutcome[]> {
  const keep: CrawlOutcome[] = [];
  for (const o of outcomes) {
    const written = o.ok ? await writtenBefore(run.folder, o.record) : null;
    if (written) {
      run.ledger.adopt(written);
      run.tally.counts.adopted++;
    } else keep.push(o);
  }
  return keep;
}
