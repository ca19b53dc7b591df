/**
 * Taking up a killed run: its files repaired and every complete line handed
 * back to the ledger (adopted), and its frontier picked up where it stopped.
 */
import type { CrawlPlan } from '../crawl/index.js';
import type { ArticleRecord, Reject } from '../shared/types.js';
import type { StateStore } from '../state/store.js';
import { readRunLines, repairRunFile } from '../stages/export/index.js';
import { isGzip } from './files.js';

/** Repair a killed run's files and hand every complete line back to the ledger. */
export async function adoptWritten(
  files: { records: string; rejects: string | null },
  adopt: (r: ArticleRecord) => void,
  adoptReject: (r: Reject) => void,
): Promise<number> {
  let adopted = 0;
  if (files.records !== '-') {
    await repairRunFile(files.records, { gzip: isGzip(files.records) });
    for await (const line of readRunLines(files.records, { gzip: isGzip(files.records), missingOk: true })) {
      adopt(line as ArticleRecord);
      adopted++;
    }
  }
  if (files.rejects) {
    await repairRunFile(files.rejects, { gzip: isGzip(files.rejects) });
    for await (const line of readRunLines(files.rejects, { gzip: isGzip(files.rejects), missingOk: true })) adoptReject(line as Reject);
  }
  return adopted;
}

/** The plan of a resumed run: the same, with the frontier it left (pending entries to fetch, done keys to skip). */
export const resumedPlan = (plan: CrawlPlan, store: StateStore, runId: string): CrawlPlan => ({
  ...plan,
  resume: { pending: store.pendingFrontier(runId).map((p) => ({ key: p.url_key, url: p.url, depth: p.depth, site: p.site })), done: store.doneFrontier(runId) },
});
