/**
 * `newsclean schedule`: a long-running process that crawls each site on its
 * cron expression (sources file: the site's `schedule`, else
 * `defaults.schedule`), serves /metrics, /healthz and /livez, and stops
 * gracefully on SIGINT/SIGTERM. Each scheduled run is the run of
 * `newsclean crawl --site NAME` (same plan key), so a run cut short by a stop
 * is resumed by the site's next run, scheduled or by hand.
 *
 * What the command does; its options are in schedule.ts.
 */
import { EXIT, runVerdict } from './args.js';
import { crawlPlanOf, loadFetchConfig } from './fetch-config.js';
import type { ScheduleOptions } from './schedule.js';
import { defaultThreads } from '../crawl/clean-pool.js';
import { selectSites } from '../config/sources.js';
import { NewscleanError } from '../shared/errors.js';
import { createLogger, silentLogger } from '../shared/log.js';
import type { HealthReport } from '../schedule/status-server.js';
import type { SiteRunResult } from '../schedule/scheduler.js';
import { handleStopSignals } from '../run/shutdown.js';

function scheduleFlags(opts: ScheduleOptions): Record<string, unknown> {
  const server = {
    ...(opts.statusHost !== undefined && { host: opts.statusHost }),
    ...(opts.statusPort !== undefined && { port: opts.statusPort }),
    ...(opts.statusServer === false && { enabled: false }),
  };
  return { ...(opts.runNow && { runOnStart: true }), ...(Object.keys(server).length > 0 && { server }) };
}

export async function runSchedule(opts: ScheduleOptions): Promise<number> {
  const { sources, config } = loadFetchConfig({ ...opts, settingsExtra: { schedule: scheduleFlags(opts) } }, true);
  const sites = selectSites(sources!, opts.site ?? []).filter((s) => s.schedule !== null);
  if (sites.length === 0) {
    throw new NewscleanError('CONFIG_INVALID', `${sources!.path}: no site to schedule: give sites a \`schedule:\` cron expression, or set \`defaults.schedule\``);
  }
  // Loaded here: the other commands never need them.
  const [{ executeRun }, { createCrawlDeps }, { createCleanPool }, { createSchedulerMetrics }, { startScheduler }, { startStatusServer }, { createStatsLines }] = await Promise.all([
    import('../run/index.js'), import('../crawl/deps.js'), import('../crawl/clean-pool.js'), import('../schedule/metrics.js'),
    import('../schedule/scheduler.js'), import('../schedule/status-server.js'), import('./progress.js'),
  ]);
  // No live display: runs of several sites overlap. Each run logs progress lines and its summary.
  const log = createLogger({ level: config.log.level, format: config.log.format, quiet: opts.quiet === true });
  const metrics = createSchedulerMetrics();
  // With a queue the workers clean the pages: this process needs no clean threads.
  const pool = createCleanPool(config, opts.threads ?? (config.queue.url ? 0 : defaultThreads()), silentLogger);
  let phase: HealthReport['status'] = 'starting';

  const runSite = async (name: string, signal: AbortSignal): Promise<SiteRunResult> => {
    const site = sites.find((s) => s.name === name)!;
    const { plan, key } = crawlPlanOf([site], opts);
    const siteLog = log.child({ site: name });
    const progress = config.log.progressIntervalMs > 0 && !opts.quiet ? createStatsLines(() => siteLog, { intervalMs: config.log.progressIntervalMs }) : undefined;
    const spec = { command: 'crawl' as const, plan, planKey: key, refresh: false, force: false, conditional: true, signal, ...(progress && { progress }) };
    // With a queue, this process plans each run and waits for it; `newsclean worker` processes fetch its pages.
    const summary = config.queue.url
      ? await (await import('../queue/coordinator.js')).runQueuedCrawl(spec, config, { queueUrl: config.queue.url, wait: true, log: siteLog })
      : await executeRun(spec, config, (runId) => createCrawlDeps(config, siteLog, pool.threads, { pool, runId }), siteLog);
    const verdict = runVerdict({
      counts: summary.counts, rejectsByCode: summary.rejectsByCode, failureRate: summary.report.failure_rate,
      maxFailureRate: config.run.maxFailureRate, explicitInputs: false, sitesFailed: summary.sitesFailed,
    });
    if (verdict.why) siteLog.error({ stage: 'schedule', code: verdict.why.split(':')[0], run_id: summary.runId }, verdict.why);
    const failed = verdict.code !== EXIT.OK;
    return {
      status: summary.status === 'interrupted' ? 'interrupted' : failed ? 'failed' : 'done',
      seconds: summary.seconds,
      endedAt: new Date(),
      counts: { articles: summary.counts.articles, rejects: summary.counts.rejects, fetched: summary.counts.fetched, unchanged: summary.counts.unchanged },
      rejectsByCode: summary.rejectsByCode,
      bytes: summary.report.bytes,
      runId: summary.runId,
      summary: summary.report,
    };
  };

  const scheduler = startScheduler({
    sites: sites.map((s) => ({ name: s.name, cron: s.schedule! })),
    runSite,
    log,
    metrics,
    maxConcurrentRuns: config.schedule.maxConcurrentRuns,
    timezone: config.schedule.timezone || undefined,
    runOnStart: config.schedule.runOnStart,
  });
  const started = Date.now();
  const server = config.schedule.server.enabled
    ? await startStatusServer({
        host: config.schedule.server.host,
        port: config.schedule.server.port,
        registry: metrics.registry,
        health: () => ({ status: phase, uptime_s: Math.round((Date.now() - started) / 1000), sites: scheduler.status() }),
        onError: (err) => log.error({ stage: 'schedule', err }, 'status server error'),
      }).catch(async (err: unknown) => {
        await scheduler.stop();
        await pool.close();
        throw new NewscleanError('CONFIG_INVALID', `schedule.server: ${(err as Error).message}`, { cause: err });
      })
    : null;
  phase = 'ok';
  log.info({ stage: 'schedule', sites: sites.length, status_url: server?.url ?? null }, 'scheduler started');

  // Runs until a signal: stop the cron jobs, let running crawls finish their pages, close everything.
  const stopped = new Promise<void>((resolve) => {
    handleStopSignals({
      graceMs: config.run.graceMs,
      log,
      onStop: () => {
        phase = 'shutting_down';
        void scheduler.stop().then(resolve);
      },
    });
  });
  await stopped;
  await server?.close();
  await pool.close();
  log.info({ stage: 'schedule' }, 'scheduler stopped');
  // Stopping is how a service ends: a clean stop is a success.
  return EXIT.OK;
}
