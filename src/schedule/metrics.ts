/**
 * Prometheus metrics for `newsclean schedule`. Each call to
 * createSchedulerMetrics owns a fresh Registry (never prom-client's global
 * one), so several schedulers or tests never collide on metric names.
 * docs/metrics.md documents METRICS; tests/schedule/metrics.test.ts keeps the
 * two in step.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SiteRunStatus = 'done' | 'failed' | 'interrupted' | 'error';
export type SkipReason = 'overlap' | 'shutting_down' | 'in_progress_elsewhere';

export const SITE_RUN_STATUSES: readonly SiteRunStatus[] = ['done', 'failed', 'interrupted', 'error'];
export const SKIP_REASONS: readonly SkipReason[] = ['overlap', 'shutting_down', 'in_progress_elsewhere'];

export interface FinishedRun {
  /** done; failed = finished but failure rate over threshold; interrupted = signal; error = threw */
  status: SiteRunStatus;
  seconds: number;
  endedAt: Date;
  counts: { articles: number; rejects: number; fetched: number; unchanged: number };
  rejectsByCode: Record<string, number>;
  /** Response bytes fetched. */
  bytes: number;
}

export interface SchedulerMetrics {
  registry: Registry;
  runStarted(site: string): void;
  runFinished(site: string, run: FinishedRun): void;
  runSkipped(site: string, reason: SkipReason): void;
  nextRun(site: string, at: Date | null): void;
}

/** Prefix of every metric, including prom-client's default process metrics. */
export const METRIC_PREFIX = 'newsclean_';

/** Crawls take seconds to hours: 1 s up to 2 h. */
export const DURATION_BUCKETS: readonly number[] = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

export type MetricType = 'counter' | 'gauge' | 'histogram';
export interface MetricDef {
  name: string;
  type: MetricType;
  labels: readonly string[];
  help: string;
}

/** Every scheduler metric (default process metrics aside). */
export const METRICS = {
  runs: {
    name: 'newsclean_runs_total',
    type: 'counter',
    labels: ['site', 'status'],
    help: 'Scheduled runs finished, by status (done, failed, interrupted, error).',
  },
  skipped: {
    name: 'newsclean_runs_skipped_total',
    type: 'counter',
    labels: ['site', 'reason'],
    help: 'Scheduled runs not started, by reason (overlap, shutting_down, in_progress_elsewhere).',
  },
  inProgress: {
    name: 'newsclean_run_in_progress',
    type: 'gauge',
    labels: ['site'],
    help: '1 while a run of the site is in progress, 0 otherwise.',
  },
  duration: {
    name: 'newsclean_run_duration_seconds',
    type: 'histogram',
    labels: ['site'],
    help: 'Wall-clock duration of finished runs, in seconds.',
  },
  articles: {
    name: 'newsclean_articles_total',
    type: 'counter',
    labels: ['site'],
    help: 'Articles exported.',
  },
  rejects: {
    name: 'newsclean_rejects_total',
    type: 'counter',
    labels: ['site', 'code'],
    help: 'Pages rejected, by reject code.',
  },
  fetched: {
    name: 'newsclean_pages_fetched_total',
    type: 'counter',
    labels: ['site'],
    help: 'Pages fetched.',
  },
  unchanged: {
    name: 'newsclean_unchanged_total',
    type: 'counter',
    labels: ['site'],
    help: 'Pages skipped as unchanged since the previous run.',
  },
  bytes: {
    name: 'newsclean_fetched_bytes_total',
    type: 'counter',
    labels: ['site'],
    help: 'Response bytes fetched.',
  },
  lastRun: {
    name: 'newsclean_last_run_timestamp_seconds',
    type: 'gauge',
    labels: ['site'],
    help: 'Unix time the last run ended, whatever its status.',
  },
  lastSuccess: {
    name: 'newsclean_last_success_timestamp_seconds',
    type: 'gauge',
    labels: ['site'],
    help: 'Unix time the last run with status done ended.',
  },
  nextRun: {
    name: 'newsclean_next_run_timestamp_seconds',
    type: 'gauge',
    labels: ['site'],
    help: 'Unix time of the next scheduled run; absent when none is scheduled.',
  },
} as const satisfies Record<string, MetricDef>;

interface Def<L extends string> {
  name: string;
  help: string;
  labels: readonly L[];
}

const counter = <L extends string>(registry: Registry, d: Def<L>) =>
  new Counter<L>({ name: d.name, help: d.help, labelNames: d.labels, registers: [registry] });

const gauge = <L extends string>(registry: Registry, d: Def<L>) =>
  new Gauge<L>({ name: d.name, help: d.help, labelNames: d.labels, registers: [registry] });

const histogram = <L extends string>(registry: Registry, d: Def<L>, buckets: readonly number[]) =>
  new Histogram<L>({ name: d.name, help: d.help, labelNames: d.labels, buckets: [...buckets], registers: [registry] });

/** A count safe to add to a counter (prom-client throws on negatives and NaN). */
const amount = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

const unixSeconds = (d: Date): number => d.getTime() / 1000;

/** Rejects by code; any part of counts.rejects the breakdown misses goes under 'unknown'. */
export function rejectEntries(run: Pick<FinishedRun, 'counts' | 'rejectsByCode'>): [string, number][] {
  const entries = Object.entries(run.rejectsByCode).map(([code, n]): [string, number] => [code, amount(n)]);
  const missing = amount(run.counts.rejects) - entries.reduce((sum, [, n]) => sum + n, 0);
  if (missing > 0) entries.push(['unknown', missing]);
  return entries;
}

export function createSchedulerMetrics(opts: { defaultMetrics?: boolean } = {}): SchedulerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  const runs = counter(registry, METRICS.runs);
  const skipped = counter(registry, METRICS.skipped);
  const inProgress = gauge(registry, METRICS.inProgress);
  const duration = histogram(registry, METRICS.duration, DURATION_BUCKETS);
  const articles = counter(registry, METRICS.articles);
  const rejects = counter(registry, METRICS.rejects);
  const fetched = counter(registry, METRICS.fetched);
  const unchanged = counter(registry, METRICS.unchanged);
  const bytes = counter(registry, METRICS.bytes);
  const lastRun = gauge(registry, METRICS.lastRun);
  const lastSuccess = gauge(registry, METRICS.lastSuccess);
  const nextRun = gauge(registry, METRICS.nextRun);

  // Series start at 0 the first time a site shows up, so increase()/rate()
  // also see the first run, failure or skip of each kind.
  const known = new Set<string>();
  const ensureSite = (site: string): void => {
    if (known.has(site)) return;
    known.add(site);
    for (const status of SITE_RUN_STATUSES) runs.inc({ site, status }, 0);
    for (const reason of SKIP_REASONS) skipped.inc({ site, reason }, 0);
    for (const c of [articles, fetched, unchanged, bytes]) c.inc({ site }, 0);
    duration.zero({ site });
    inProgress.set({ site }, 0);
  };

  return {
    registry,
    runStarted(site) {
      ensureSite(site);
      inProgress.set({ site }, 1);
    },
    runFinished(site, run) {
      ensureSite(site);
      inProgress.set({ site }, 0);
      runs.inc({ site, status: run.status });
      if (Number.isFinite(run.seconds) && run.seconds >= 0) duration.observe({ site }, run.seconds);
      articles.inc({ site }, amount(run.counts.articles));
      fetched.inc({ site }, amount(run.counts.fetched));
      unchanged.inc({ site }, amount(run.counts.unchanged));
      bytes.inc({ site }, amount(run.bytes));
      for (const [code, n] of rejectEntries(run)) rejects.inc({ site, code }, n);
      lastRun.set({ site }, unixSeconds(run.endedAt));
      if (run.status === 'done') lastSuccess.set({ site }, unixSeconds(run.endedAt));
    },
    runSkipped(site, reason) {
      ensureSite(site);
      skipped.inc({ site, reason });
      // This one is known only once the run has started (the state store refuses it): it is not running.
      if (reason === 'in_progress_elsewhere') inProgress.set({ site }, 0);
    },
    nextRun(site, at) {
      if (at === null) nextRun.remove({ site });
      else nextRun.set({ site }, unixSeconds(at));
    },
  };
}
