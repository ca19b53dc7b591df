/** The crawl's outcomes into the run's files and the state, counted as they go. */
import type { CrawlOutcome, PageMeta } from '../crawl/index.js';
import { NewscleanError } from '../shared/errors.js';
import type { Reject } from '../shared/types.js';
import type { LineSink } from '../stages/export/index.js';
import type { Ledger } from './ledger.js';
import { createSample } from './summary.js';
import type { RunCounts } from './types.js';

/** What a run counts as it goes: outcomes by kind, rejects by code, fetch durations. */
export interface Tally {
  counts: RunCounts;
  rejectsByCode: Record<string, number>;
  fetchMs: ReturnType<typeof createSample>;
}

export const createTally = (): Tally => ({
  counts: { articles: 0, rejects: 0, unchanged: 0, known: 0, deferred: 0, skipped: 0, discovered: 0, fetched: 0, duplicates: 0, clustered: 0, versions: 0, adopted: 0, givenUp: 0, sitesFailed: 0, tooOld: 0 },
  rejectsByCode: {},
  fetchMs: createSample(),
});

/** Each outcome: its line written first, then remembered in the state (a kill between the two leaves a line the resume adopts). */
export async function writeOutcomes(
  outcomes: AsyncIterable<CrawlOutcome> | Iterable<CrawlOutcome>,
  out: { ledger: Ledger; records: LineSink; rejects: LineSink | null; tally: Tally },
): Promise<void> {
  const { ledger, records, rejects, tally } = out;
  const counts = tally.counts;
  const writeReject = async (reject: Reject, page: PageMeta | undefined): Promise<void> => {
    await rejects?.write(reject);
    ledger.rejected(reject, page);
    counts.rejects++;
    tally.rejectsByCode[reject.code] = (tally.rejectsByCode[reject.code] ?? 0) + 1;
  };
  for await (const o of outcomes) {
    ledger.saveFrontier(); // the links behind this outcome are kept before its line is written
    if (o.page && o.page.fetchMs > 0) tally.fetchMs.add(o.page.fetchMs);
    if (o.page?.notModified) {
      ledger.unchanged(o.page);
      counts.unchanged++;
    } else if (o.ok) {
      const prepared = ledger.prepare(o.record, o.page);
      if (prepared.unchanged) {
        if (o.page) ledger.unchanged(o.page);
        counts.unchanged++;
        continue;
      }
      if (prepared.reject) {
        // Another URL of the same page (same id) was exported first: a DUPLICATE_URL reject, never the id twice.
        await writeReject(prepared.reject, o.page);
        continue;
      }
      await records.write(prepared.record);
      prepared.commit();
      counts.articles++;
    } else if (o.reject.code === 'OUTPUT_FAILED') {
      // The web archive could not be written (a full disk): as fatal as a line that cannot be written.
      throw new NewscleanError('OUTPUT_FAILED', o.reject.message);
    } else if (ledger.repeatsHubReject(o.reject, o.page)) {
      ledger.rejected(o.reject, o.page); // remembered; no line: the same front page as on every run
      counts.unchanged++;
    } else {
      await writeReject(o.reject, o.page);
    }
  }
  ledger.saveFrontier();
}
