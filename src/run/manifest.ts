/**
 * The run manifest, <run-id>.manifest.json (README, "Each run writes…"): what
 * a run was (command, plan, files, start and end), what it made (counts,
 * rejects by code, the summary) and with what (versions). The one writer for
 * every command that leaves one: crawl, scrape and recrawl (written when the
 * run starts, replaced when it ends), extract and clean-text with
 * --output-dir (written at the end). Always replaced atomically.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { CrawlStats } from '../crawl/index.js';
import type { SiteFailure } from '../crawl/site-health.js';
import { VERSION } from '../shared/version.js';
import type { StateStore } from '../state/store.js';
import { writeJsonAtomic } from '../stages/export/index.js';
import type { Claim } from './claim.js';
import type { Ledger } from './ledger.js';
import type { Tally } from './outcomes.js';
import { type RunReport, buildReport } from './summary.js';
import type { RunFiles, RunSpec } from './types.js';

export type ManifestStatus = 'running' | 'done' | 'interrupted';

/** The manifest on disk, in this key order. The optional fields are a crawl, scrape or recrawl run's; extract and clean-text have none of them. */
export interface Manifest<C = Record<string, number>> {
  run_id: string;
  command: string;
  status: ManifestStatus;
  started_at: string;
  /** null while the run goes. */
  ended_at: string | null;
  resumed?: boolean;
  plan?: unknown;
  config_hash?: string;
  files: RunFiles;
  counts: C;
  rejects_by_code: Record<string, number>;
  sites_failed?: SiteFailure[];
  /** The run's report (summary.ts), once it has ended. */
  summary?: RunReport;
  /** A queued run (src/queue/): the part files of its folder, one per worker (and the coordinator's rejects). */
  parts?: string[];
  /** A run with output.warc: its web archive's files (every attempt's, every worker's that shares the folder). */
  warc?: string[];
  versions: { newsclean: string; node: string; state_schema?: number; record_schema: 1 };
}

export interface ManifestFields<C> {
  runId: string;
  command: string;
  status: ManifestStatus;
  startedAt: Date;
  files: RunFiles;
  counts: C;
  rejectsByCode: Record<string, number>;
  /** What only a run against the state store (executeRun) has. */
  run?: { resumed: boolean; plan: unknown; config: Config; stateSchema: number; sitesFailed: SiteFailure[]; summary?: RunReport | undefined };
}

const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** The manifest of a run as it stands now (ended now, unless it is still running). */
export function manifestOf<C>(f: ManifestFields<C>): Manifest<C> {
  const { run } = f;
  return {
    run_id: f.runId,
    command: f.command,
    status: f.status,
    started_at: f.startedAt.toISOString(),
    ended_at: f.status === 'running' ? null : new Date().toISOString(),
    ...(run && { resumed: run.resumed, plan: run.plan, config_hash: `sha256:${sha256(run.config)}` }),
    files: f.files,
    counts: f.counts,
    rejects_by_code: f.rejectsByCode,
    ...(run && { sites_failed: run.sitesFailed }),
    ...(run?.summary && { summary: run.summary }),
    versions: { newsclean: VERSION, node: process.version, ...(run && { state_schema: run.stateSchema }), record_schema: 1 },
  };
}

/** Write (or replace) a manifest atomically: a reader sees the old one or the new one, never half of either. */
export const writeManifest = (path: string, manifest: Manifest<unknown>): Promise<void> => writeJsonAtomic(path, manifest);

/** A crawl, scrape or recrawl run's manifest: written when the run starts (status running) and, atomically replaced, when it ends. */
export function runManifest(spec: RunSpec, config: Config, store: StateStore, claim: Claim, tally: Tally, ledger: Ledger, started: number) {
  const { counts, rejectsByCode } = tally;
  const report = (status: 'done' | 'interrupted', stats: CrawlStats): RunReport =>
    buildReport(
      {
        status, seconds: (performance.now() - started) / 1000, counts: { ...counts, fetched: stats.fetched, known: stats.known, skipped: stats.skipped, deferred: stats.deferred },
        rejectsByCode, bytes: stats.bytes, hosts: stats.hosts, fetchMs: tally.fetchMs.values,
      },
      config.run.ignoreCodes,
    );
  const manifest = (status: ManifestStatus, stats?: CrawlStats, summary?: RunReport, warc?: string[]) => ({
    ...manifestOf({
      runId: claim.runId,
      command: spec.command,
      status,
      startedAt: claim.startedAt,
      files: claim.files,
      counts: {
        ...counts,
        ...(stats && { known: stats.known, deferred: stats.deferred, skipped: stats.skipped, discovered: stats.discovered, fetched: stats.fetched, sitesFailed: stats.sitesFailed.length, discoveryWarnings: stats.discoveryWarnings, tooOld: stats.tooOld }),
        ...ledger.counts,
      },
      rejectsByCode,
      run: { resumed: claim.previous !== undefined, plan: spec.planKey, config, stateSchema: store.schemaVersion, sitesFailed: stats?.sitesFailed ?? [], summary },
    }),
    ...(warc && { warc }),
  });
  return {
    write: (status: 'running') => writeManifest(claim.files.manifest, manifest(status)),
    async finish(status: 'done' | 'interrupted', stats: CrawlStats, warc?: string[]) {
      const summary = report(status, stats);
      const final = manifest(status, stats, summary, warc);
      Object.assign(counts, final.counts);
      await writeManifest(claim.files.manifest, final);
      return { summary, final };
    },
  };
}
