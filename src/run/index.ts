/**
 * One run of crawl, scrape or recrawl, from the state store's point of view:
 * start a new run or take up the killed one with the same plan, write records
 * and rejects line by line (each remembered in the state only after its line
 * is written), and leave a manifest. A run killed at any moment resumes: its
 * files are repaired, the lines already written are adopted, and the frontier
 * picks up where it stopped, so the union of its output has every article once.
 *
 * The run layer's public surface. Where each part lives:
 *   execute.ts   executeRun: a run from its claim to its end
 *   claim.ts     which run this process owns (new or resumed); a failed run given up
 *   locks.ts     site locks and the heartbeat
 *   resume.ts    a killed run's lines adopted, its frontier taken up
 *   files.ts     the run's output files: chosen, checked, opened
 *   outcomes.ts  each crawl outcome written, then remembered; the tally
 *   ledger.ts    what the state says per URL and article (the crawl gate, versions, duplicates)
 *   manifest.ts  the manifest's shape and its atomic writing (also extract's and clean-text's)
 *   (queued runs, src/queue/, use claim, the ledger, outcomes and the manifest from here)
 *   summary.ts   the end-of-run report; shutdown.ts: stop signals and closing
 */
export type { RunCommand, RunCounts, RunSpec, RunSummary } from './types.js';
export { executeRun } from './execute.js';
export { type Claim, claimRun, markRunFailed } from './claim.js';
export { type Ledger, createLedger, ledgerOptionsFor } from './ledger.js';
export { startHeartbeat } from './locks.js';
export { type Tally, createTally, writeOutcomes } from './outcomes.js';
export { manifestOf, writeManifest } from './manifest.js';
export { buildReport } from './summary.js';
