/** The run layer's vocabulary: what a run is asked to do (RunSpec) and what it reports (RunSummary). */
import type { CrawlPlan } from '../crawl/index.js';
import type { SiteFailure } from '../crawl/site-health.js';
import type { ProgressSnapshot } from '../shared/types.js';
import type { RunReport } from './summary.js';

export type RunCommand = 'crawl' | 'scrape' | 'recrawl';

export interface RunSpec {
  command: RunCommand;
  plan: CrawlPlan;
  /** What identifies "the same run" for a resume (sites, URLs, options as given). */
  planKey: unknown;
  /** -o: a file or '-' instead of <output.dir>/<date>/<run-id>.jsonl. */
  output?: string | undefined;
  rejects?: string | undefined;
  refresh: boolean;
  force: boolean;
  /** Send the validators of the last visit (If-None-Match / If-Modified-Since). Off for --force and --from: those re-extract. */
  conditional: boolean;
  /** A graceful stop: in-flight pages finish and are written, the run is left resumable (see crawl.ts). */
  signal?: AbortSignal;
  /** Live progress (src/progress.ts): started with a reader of the counters, stopped at the end. */
  progress?: { start(read: () => ProgressSnapshot): void; stop(): void };
}

export interface RunCounts {
  articles: number;
  rejects: number;
  /** Revisits with nothing new: 304, or the same text. */
  unchanged: number;
  /** Discovered but skipped: exported or given up earlier. */
  known: number;
  /** Discovered but skipped: failed earlier, retry not yet due. */
  deferred: number;
  /** Discovered but not fetched: --max-articles reached. */
  skipped: number;
  discovered: number;
  fetched: number;
  /** Articles exported with a text another URL already had (duplicate_of set). */
  duplicates: number;
  /** Articles that joined an earlier article's near-duplicate cluster. */
  clustered: number;
  /** Articles whose text changed since the last run (version > 1). */
  versions: number;
  /** Lines of a killed run adopted on resume. */
  adopted: number;
  /** URLs given up in this run: their last transient failure was number state.retry.maxRuns. */
  givenUp: number;
  /** Sites that could not be reached at all (see sitesFailed). */
  sitesFailed: number;
  /** Feed and sitemap items skipped as dated before --since. */
  tooOld: number;
}

/** Where a run writes: its records ('-' for stdout), its rejects (null: none) and its manifest. */
export type RunFiles = { records: string; rejects: string | null; manifest: string };

export interface RunSummary {
  runId: string;
  /** interrupted: stopped by a signal; the same command resumes it. */
  status: 'done' | 'interrupted';
  resumed: boolean;
  files: RunFiles;
  counts: RunCounts;
  rejectsByCode: Record<string, number>;
  seconds: number;
  /** Figures by host and code, bytes, durations, failure rate (also in the manifest as `summary`). */
  report: RunReport;
  /** Sites whose every entry point failed (also in the manifest as `sites_failed`). */
  sitesFailed: SiteFailure[];
}
