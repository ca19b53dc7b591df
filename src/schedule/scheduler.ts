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
  const stopping = new AbortController();
  const running = new Map<string, Promise<void>>();
  const waiting: string[] = [];
  const last = new Map<string, SiteStatus['last_run']>();
  const jobs = new Map<string, Cron>();

  const nextRun = (site: string): Date | null => jobs.get(site)?.nextRun() ?? null;
  const publishNext = (site: string): void => opts.metrics?.nextRun(site, nextRun(site));

  const start = (site: string): void => {
    const log = opts.log.child({ site });
    opts.metrics?.runStarted(site);
    log.info({ stage: 'schedule' }, 'run starting');
    const began = performance.now();
    const finished = (result: SiteRunResult): void => {
      opts.metrics?.runFinished(site, result);
      last.set(site, { status: result.status, ended_at: result.endedAt.toISOString(), articles: result.counts.articles, rejects: result.counts.rejects, seconds: result.seconds });
    };
    let run: Promise<SiteRunResult>;
    try {
      run = opts.runSite(site, stopping.signal);
    } catch (err) {
      run = Promise.reject(err); // a runSite that throws at once fails like one that rejects
    }
    const done = run
      .then(
        (result) => {
          log.info({ stage: 'schedule', run_id: result.runId, status: result.status, counts: result.counts, summary: result.summary }, 'run summary');
          finished(result);
        },
        (err: unknown) => {
          const code = (err as { code?: string }).code;
          if (code === 'RUN_IN_PROGRESS') {
            // A `newsclean crawl` of the same site in another process: its run, not ours.
            log.warn({ stage: 'schedule', code }, (err as Error).message);
            opts.metrics?.runSkipped(site, 'in_progress_elsewhere');
            return;
          }
          log.error({ stage: 'schedule', code: code ?? 'INTERNAL', err }, 'run failed to complete');
          finished({ status: 'error', seconds: (performance.now() - began) / 1000, endedAt: new Date(), counts: { articles: 0, rejects: 0, fetched: 0, unchanged: 0 }, rejectsByCode: {}, bytes: 0 });
        },
      )
      .catch((err: unknown) => log.error({ stage: 'schedule', err }, 'recording the run failed'))
      .finally(() => {
        running.delete(site);
        publishNext(site);
        // A freed slot goes to the longest-waiting site.
        const next = waiting.shift();
        if (next !== undefined && !stopping.signal.aborted) start(next);
      });
    running.set(site, done);
  };

  const tick = (site: string): void => {
    if (!jobs.has(site)) {
      opts.log.warn({ stage: 'schedule', site }, 'not a scheduled site');
      return;
    }
    if (stopping.signal.aborted) {
      opts.metrics?.runSkipped(site, 'shutting_down');
      return;
    }
    publishNext(site);
    if (running.has(site) || waiting.includes(site)) {
      opts.log.warn({ stage: 'schedule', site }, 'previous run still going: this tick is skipped');
      opts.metrics?.runSkipped(site, 'overlap');
      return;
    }
    if (running.size >= opts.maxConcurrentRuns) {
      opts.log.info({ stage: 'schedule', site, running: [...running.keys()] }, 'every run slot is taken: waiting for one');
      waiting.push(site);
      return;
    }
    start(site);
  };

  for (const { name, cron } of opts.sites) {
    jobs.set(name, new Cron(cron, { name, ...(opts.timezone && { timezone: opts.timezone }) }, () => tick(name)));
    publishNext(name);
    opts.log.info({ stage: 'schedule', site: name, cron, next_run: nextRun(name)?.toISOString() ?? null }, 'scheduled');
  }
  if (opts.runOnStart) for (const { name } of opts.sites) tick(name);

  return {
    trigger: tick,
    status: () =>
      opts.sites.map(({ name, cron }) => ({
        name,
        cron,
        running: running.has(name),
        waiting: waiting.includes(name),
        next_run: stopping.signal.aborted ? null : nextRun(name)?.toISOString() ?? null,
        last_run: last.get(name) ?? null,
      })),
    async stop() {
      stopping.abort();
      for (const [name, job] of jobs) {
        job.stop();
        opts.metrics?.nextRun(name, null);
      }
      waiting.length = 0;
      await Promise.all(running.values());
    },
  };
}
