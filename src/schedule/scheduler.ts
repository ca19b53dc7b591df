/**
 * The heart of `newsclean schedule`: one cron job per site (croner), and the
 * rule that a site's run never starts while its previous run is still going.
 * A tick that finds its site busy is skipped (logged and counted), not queued:
 * the next tick picks up whatever is new, as cron users expect. A tick that
 * finds every run slot taken waits for one (maxConcurrentRuns).
 *
 * What a run does is injected (`runSite`), so this file knows nothing about
 * crawling and is tested with fake timers.
 */
import { Cron } from 'croner';
import type { Logger } from '../shared/log.js';
import type { FinishedRun, SchedulerMetrics } from './metrics.js';

export interface ScheduledSite {
  name: string;
  cron: string;
}

/** What runSite reports; `runId` and `summary` are logged with the run's summary line. */
export type SiteRunResult = FinishedRun & { runId?: string; summary?: unknown };

export interface SchedulerOptions {
  sites: ScheduledSite[];
  runSite(site: string, signal: AbortSignal): Promise<SiteRunResult>;
  log: Logger;
  metrics?: SchedulerMetrics;
  maxConcurrentRuns: number;
  /** IANA zone of the cron expressions; undefined = the machine's. */
  timezone?: string | undefined;
  /** Run every site once now, then on schedule. */
  runOnStart?: boolean;
}

export interface SiteStatus {
  name: string;
  cron: string;
  running: boolean;
  waiting: boolean;
  next_run: string | null;
  last_run: { status: string; ended_at: string; articles: number; rejects: number; seconds: number } | null;
}

export interface Scheduler {
  /** Start a site's run now, by the same rules as a tick (tests, --run-now). */
  trigger(site: string): void;
  status(): SiteStatus[];
  /** Stop the cron jobs and ask running runs to stop; resolves when they have ended. */
  stop(): Promise<void>;
}

export function startScheduler(opts: SchedulerOptions): Scheduler {
  const st: SchedulerState = { opts, stopping: new AbortController(), running: new Map(), waiting: [], last: new Map(), jobs: new Map() };
  for (const site of opts.sites) schedule(st, site);
  if (opts.runOnStart) for (const { name } of opts.sites) tick(st, name);
  return {
    trigger: (site) => tick(st, site),
    status: () => opts.sites.map((site) => statusOf(st, site)),
    stop: () => stop(st),
  };
}

/** What the scheduler's pieces share. */
interface SchedulerState {
  opts: SchedulerOptions;
  stopping: AbortController;
  /** per site, its run in progress (settles once the run is recorded) */
  running: Map<string, Promise<void>>;
  /** sites waiting for a run slot, longest-waiting first */
  waiting: string[];
  last: Map<string, SiteStatus['last_run']>;
  jobs: Map<string, Cron>;
}

const nextRun = (st: SchedulerState, site: string): Date | null => st.jobs.get(site)?.nextRun() ?? null;
const publishNext = (st: SchedulerState, site: string): void => st.opts.metrics?.nextRun(site, nextRun(st, site));

/** A site's cron job. */
function schedule(st: SchedulerState, { name, cron }: ScheduledSite): void {
  const { opts } = st;
  st.jobs.set(name, new Cron(cron, { name, ...(opts.timezone && { timezone: opts.timezone }) }, () => tick(st, name)));
  publishNext(st, name);
  opts.log.info({ stage: 'schedule', site: name, cron, next_run: nextRun(st, name)?.toISOString() ?? null }, 'scheduled');
}

/** A cron tick (or trigger): start the site's run, unless it is still running (skipped) or every slot is taken (it waits). */
function tick(st: SchedulerState, site: string): void {
  const { opts } = st;
  if (!st.jobs.has(site)) {
    opts.log.warn({ stage: 'schedule', site }, 'not a scheduled site');
    return;
  }
  if (st.stopping.signal.aborted) {
    opts.metrics?.runSkipped(site, 'shutting_down');
    return;
  }
  publishNext(st, site);
  if (st.running.has(site) || st.waiting.includes(site)) {
    opts.log.warn({ stage: 'schedule', site }, 'previous run still going: this tick is skipped');
    opts.metrics?.runSkipped(site, 'overlap');
    return;
  }
  if (st.running.size >= opts.maxConcurrentRuns) {
    opts.log.info({ stage: 'schedule', site, running: [...st.running.keys()] }, 'every run slot is taken: waiting for one');
    st.waiting.push(site);
    return;
  }
  start(st, site);
}

function start(st: SchedulerState, site: string): void {
  const { opts } = st;
  const log = opts.log.child({ site });
  opts.metrics?.runStarted(site);
  log.info({ stage: 'schedule' }, 'run starting');
  const began = performance.now();
  let run: Promise<SiteRunResult>;
  try {
    run = opts.runSite(site, st.stopping.signal);
  } catch (err) {
    run = Promise.reject(err); // a runSite that throws at once fails like one that rejects
  }
  const done = run
    .then(
      (result) => {
        log.info({ stage: 'schedule', run_id: result.runId, status: result.status, counts: result.counts, summary: result.summary }, 'run summary');
        finished(st, site, result);
      },
      (err: unknown) => failed(st, site, log, began, err),
    )
    .catch((err: unknown) => log.error({ stage: 'schedule', err }, 'recording the run failed'))
    .finally(() => freeSlot(st, site));
  st.running.set(site, done);
}

function finished(st: SchedulerState, site: string, result: SiteRunResult): void {
  st.opts.metrics?.runFinished(site, result);
  st.last.set(site, { status: result.status, ended_at: result.endedAt.toISOString(), articles: result.counts.articles, rejects: result.counts.rejects, seconds: result.seconds });
}

/** A run that threw or rejected: recorded as an error, unless the site was busy in another process. */
function failed(st: SchedulerState, site: string, log: Logger, began: number, err: unknown): void {
  const code = (err as { code?: string }).code;
  if (code === 'RUN_IN_PROGRESS') {
    // A `newsclean crawl` of the same site in another process: its run, not ours.
    log.warn({ stage: 'schedule', code }, (err as Error).message);
    st.opts.metrics?.runSkipped(site, 'in_progress_elsewhere');
    return;
  }
  log.error({ stage: 'schedule', code: code ?? 'INTERNAL', err }, 'run failed to complete');
  finished(st, site, { status: 'error', seconds: (performance.now() - began) / 1000, endedAt: new Date(), counts: { articles: 0, rejects: 0, fetched: 0, unchanged: 0 }, rejectsByCode: {}, bytes: 0 });
}

/** A run has ended: its slot goes to the longest-waiting site. */
function freeSlot(st: SchedulerState, site: string): void {
  st.running.delete(site);
  publishNext(st, site);
  const next = st.waiting.shift();
  if (next !== undefined && !st.stopping.signal.aborted) start(st, next);
}

function statusOf(st: SchedulerState, { name, cron }: ScheduledSite): SiteStatus {
  return {
    name,
    cron,
    running: st.running.has(name),
    waiting: st.waiting.includes(name),
    next_run: st.stopping.signal.aborted ? null : nextRun(st, name)?.toISOString() ?? null,
    last_run: st.last.get(name) ?? null,
  };
}

async function stop(st: SchedulerState): Promise<void> {
  st.stopping.abort();
  for (const [name, job] of st.jobs) {
    job.stop();
    st.opts.metrics?.nextRun(name, null);
  }
  st.waiting.length = 0;
  await Promise.all(st.running.values());
}
