/**
 * What crawl, scrape and recrawl do (their options: fetch.ts): the plan each
 * builds, and the run (src/run/) behind all three. Imported only when one of
 * them runs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseSince, runVerdict } from './args.js';
import type { FetchCommandOptions } from './run-options.js';
import { crawlPlanOf, loadFetchConfig } from './fetch-config.js';
import { createRunConsole } from './console.js';
import { defaultThreads } from '../crawl/clean-pool.js';
import type { Config } from '../config/schema.js';
import { type Sources, selectSites } from '../config/sources.js';
import type { CrawlPlan } from '../crawl/index.js';
import { createCrawlDeps } from '../crawl/deps.js';
import { NewscleanError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { RunCommand, RunSpec, RunSummary } from '../run/index.js';
import { formatReport } from '../run/summary.js';
import { handleStopSignals } from '../run/shutdown.js';

async function readUrlList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new NewscleanError('USAGE', `--urls: cannot read ${path}: ${(err as Error).message}`);
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/**
 * crawl, scrape and recrawl: the sources file's `defaults:` sit between the
 * JSON settings file and the environment. Each is a run (src/run/): output
 * under <output-dir>/<date>/<run-id>.*, remembered in the state store, resumed
 * when the same command with the same plan was killed.
 */
async function runFetchCommand(
  name: RunCommand,
  opts: FetchCommandOptions,
  plan: (sources: Sources | null, config: Config) => Promise<{ plan: CrawlPlan; key: unknown }>,
): Promise<number> {
  // Flag values first: a bad --since is a usage error whatever else is wrong.
  if (opts.since) parseSince(opts.since);
  if (opts.until) parseSince(opts.until, '--until');
  const { sources, config } = loadFetchConfig(opts, name === 'crawl');
  const { plan: crawlPlan, key } = await plan(sources, config);
  const { log, progress, tty } = createRunConsole(config, { quiet: opts.quiet });
  const shutdown = handleStopSignals({ graceMs: config.run.graceMs, log });
  try {
    const spec: RunSpec = {
      command: name, plan: crawlPlan, planKey: key, output: opts.output, rejects: opts.rejects,
      refresh: opts.refresh ?? false, force: opts.force ?? false, conditional: !(opts.force || opts.from),
      signal: shutdown.signal, progress,
    };
    const summary = config.queue.url ? await queuedRun(spec, config, config.queue.url, opts, log) : await localRun(spec, config, opts, log);
    reportRun(name, summary, { log, tty, quiet: opts.quiet === true });
    const stopped = shutdown.exitCode();
    if (stopped !== null) {
      process.stderr.write(`newsclean ${name}: exit ${stopped}: INTERRUPTED: stopped by ${shutdown.received()}; the same command resumes the run\n`);
      return stopped;
    }
    const verdict = runVerdict({
      counts: summary.counts, rejectsByCode: summary.rejectsByCode, failureRate: summary.report.failure_rate,
      maxFailureRate: config.run.maxFailureRate, explicitInputs: name !== 'crawl', sitesFailed: summary.sitesFailed,
    });
    if (verdict.why) process.stderr.write(`newsclean ${name}: exit ${verdict.code}: ${verdict.why}\n`);
    return verdict.code;
  } finally {
    shutdown.dispose();
  }
}

async function localRun(spec: RunSpec, config: Config, opts: FetchCommandOptions, log: Logger): Promise<RunSummary> {
  const { executeRun } = await import('../run/index.js');
  return executeRun(spec, config, (runId) => createCrawlDeps(config, log, opts.threads ?? defaultThreads(), { runId }), log);
}

/** --queue: planned here, fetched by `newsclean worker` processes (src/queue/). */
async function queuedRun(spec: RunSpec, config: Config, queueUrl: string, opts: FetchCommandOptions, log: Logger): Promise<RunSummary> {
  if (spec.output !== undefined || spec.rejects !== undefined) throw new NewscleanError('USAGE', '--queue writes one part file per worker in the run\'s folder: -o and --rejects do not apply');
  const { runQueuedCrawl } = await import('../queue/coordinator.js');
  return runQueuedCrawl(spec, config, { queueUrl, wait: opts.wait !== false, log });
}

/** The end of a run on stderr: one line always; the breakdown as text for people, as a JSON log line for machines. */
function reportRun(name: string, summary: RunSummary, out: { log: Logger; tty: boolean; quiet: boolean }): void {
  const c = summary.counts;
  const extra = [
    c.unchanged && `${c.unchanged} unchanged`,
    c.known && `${c.known} already known`,
    c.deferred && `${c.deferred} deferred`,
    c.tooOld && `${c.tooOld} older than --since`,
    summary.resumed && 'resumed',
    summary.status === 'interrupted' && 'interrupted (the same command resumes it)',
  ].filter(Boolean);
  if (!out.quiet) {
    if (out.tty) process.stderr.write(formatReport(summary.report));
    else out.log.info({ stage: 'export', run_id: summary.runId, counts: summary.counts, summary: summary.report }, 'run summary');
  }
  for (const f of summary.sitesFailed) process.stderr.write(`newsclean ${name}: site ${f.site}: ${f.code}: ${f.message}\n`);
  process.stderr.write(`newsclean ${name}: ${c.articles} articles, ${c.rejects} rejects${extra.length ? `, ${extra.join(', ')}` : ''}, ${summary.seconds.toFixed(2)} s (${summary.files.manifest})\n`);
}

export const runCrawl = (opts: FetchCommandOptions): Promise<number> =>
  runFetchCommand('crawl', opts, async (sources) => crawlPlanOf(selectSites(sources!, opts.site ?? []), opts));

export const runScrape = (urls: string[], opts: FetchCommandOptions): Promise<number> =>
  runFetchCommand('scrape', opts, async () => {
    const listed = opts.urls ? await readUrlList(opts.urls) : [];
    const all = [...urls, ...listed];
    if (all.length === 0) throw new NewscleanError('USAGE', 'scrape: give URLs as arguments or --urls FILE');
    return { plan: { sites: [], urls: all, maxArticles: opts.maxArticles ?? null, since: null }, key: { urls: all } };
  });

/** recrawl: the URLs of --urls, --from (an earlier run's records) and the state's exported URLs of --site / --since / --until. */
export const runRecrawl = (opts: FetchCommandOptions): Promise<number> =>
  runFetchCommand('recrawl', opts, async (_sources, config) => {
    const urls: string[] = [];
    if (opts.urls) urls.push(...(await readUrlList(opts.urls)));
    if (opts.from) urls.push(...(await urlsOfRun(opts.from)));
    if (opts.site?.length || opts.since || opts.until) {
      const range = { sites: opts.site ?? [], since: opts.since ? parseSince(opts.since) : null, until: opts.until ? parseSince(opts.until, '--until') : null };
      const { openStore, storeLocation } = await import('../state/open.js');
      const store = openStore(storeLocation(config.state));
      try {
        urls.push(...store.exportedUrls(range));
      } finally {
        store.close();
      }
    }
    if (urls.length === 0) throw new NewscleanError('USAGE', 'recrawl: nothing to re-crawl: give --urls FILE, --from FILE.jsonl, or --site / --since / --until matching URLs in the state');
    return { plan: { sites: [], urls: [...new Set(urls)], maxArticles: opts.maxArticles ?? null, since: null }, key: { urls: [...new Set(urls)] } };
  });

/** The pages an earlier run exported (its records' source URLs). */
async function urlsOfRun(path: string): Promise<string[]> {
  if (!existsSync(path)) throw new NewscleanError('USAGE', `--from: no such file: ${path}`);
  const { readRunLines } = await import('../stages/export/index.js');
  const urls: string[] = [];
  for await (const line of readRunLines(path)) {
    const r = line as { source?: unknown; url?: unknown };
    const u = typeof r.source === 'string' && /^https?:/.test(r.source) ? r.source : typeof r.url === 'string' ? r.url : null;
    if (u) urls.push(u);
  }
  return urls;
}
