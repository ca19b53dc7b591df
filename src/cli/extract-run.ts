/**
 * What extract and clean-text do (their options: extract.ts): saved pages and
 * plain-text dumps through the stages in this thread (src/stages/pipeline.ts),
 * records to -o or a run folder with the run layer's manifest (--output-dir).
 * No state store, no crawl. Imported when one of them runs, not at start-up.
 */
import { basename } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { type Logger, createLogger } from '../shared/log.js';
import { manifestOf, writeManifest } from '../run/manifest.js';
import { failureRate } from '../run/summary.js';
import { closeAll, handleStopSignals } from '../run/shutdown.js';
// Not the fetch stage's index: that loads the HTTP client, robots and feed parsing, which extract never uses.
import { TEXT_EXTENSIONS, checkInputPaths, walkInputs } from '../shared/inputs.js';
import { newRunId, openJsonl, openLineSink, runPaths } from '../stages/export/index.js';
import { type CommonOptions, type ExtractOptions, flagLayer, parseSince, runVerdict } from './args.js';
import { NewscleanError } from '../shared/errors.js';
import type { WarcFilter } from '../shared/warc.js';
// The pipeline (cheerio, rule tables, the language model) loads only for the commands that clean in this
// thread: a crawl cleans on worker threads and keeps the main thread light.
import type { PageOutcome } from '../stages/pipeline.js';
const pipeline = () => import('../stages/pipeline.js');

/**
 * Shared by every command: input check, records to -o, rejects to --rejects,
 * the one-line stderr summary, the exit status. `start` loads what the
 * command needs (config, rule files) before any output file is opened.
 */
async function runCommand(
  name: string,
  opts: { output?: string | undefined; rejects?: string | undefined; outputDir?: string | undefined; gzip?: boolean | undefined; quiet?: boolean | undefined },
  start: () => Promise<{ config: Config; outcomes: (log: Logger) => AsyncIterable<PageOutcome>; close?: () => Promise<void> }>,
): Promise<number> {
  const { outcomes, close, config } = await start();
  const log = createLogger({ level: config.log.level, format: config.log.format, quiet: opts.quiet === true });
  const stream = outcomes(log);
  // A stop signal ends the loop after the input in hand; its record is written and the files are closed.
  const shutdown = handleStopSignals({ graceMs: config.run.graceMs, log });

  const started = new Date();
  // -o wins; --output-dir gives the run layout <dir>/<date>/<run-id>.* with a manifest.
  const run = opts.outputDir !== undefined && opts.output === undefined ? runPaths(opts.outputDir, `${name}-${newRunId(started)}`, started, { gzip: opts.gzip ?? false }) : null;
  const sink = (path: string) => (run ? openLineSink(path, { gzip: path.endsWith('.gz') }) : Promise.resolve(openJsonl(path)));
  const out = await sink(run?.records ?? opts.output ?? '-');
  const rejectsPath = run?.rejects ?? opts.rejects;
  const rejectsOut = rejectsPath ? await sink(rejectsPath) : null;
  let articles = 0;
  let rejects = 0;
  const byCode: Record<string, number> = {};
  try {
    for await (const outcome of stream) {
      if (shutdown.signal.aborted) break;
      if (outcome.ok) {
        articles++;
        await out.write(outcome.record);
      } else {
        rejects++;
        byCode[outcome.reject.code] = (byCode[outcome.reject.code] ?? 0) + 1;
        await rejectsOut?.write(outcome.reject);
      }
    }
  } finally {
    shutdown.dispose();
    // Every closer runs; the first failure (an output that failed) is what the command reports.
    await closeAll([() => out.close(), () => rejectsOut?.close(), () => close?.()]);
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  if (run) {
    // The run layer's manifest, without what only a crawl has (plan, resume, config hash, sites, summary, state schema).
    await writeManifest(run.manifest, manifestOf({
      runId: basename(run.manifest, '.manifest.json'), command: name, status: shutdown.received() ? 'interrupted' : 'done', startedAt: started,
      files: { records: run.records, rejects: run.rejects, manifest: run.manifest }, counts: { articles, rejects }, rejectsByCode: byCode,
    }));
  }
  process.stderr.write(`newsclean ${name}: ${articles} articles, ${rejects} rejects${shutdown.received() ? ', interrupted' : ''}, ${seconds.toFixed(2)} s${run ? ` (${run.manifest})` : ''}\n`);
  const counts = { articles, rejects };
  const stopped = shutdown.exitCode();
  if (stopped !== null) {
    process.stderr.write(`newsclean ${name}: exit ${stopped}: INTERRUPTED: stopped by ${shutdown.received()}\n`);
    return stopped;
  }
  const verdict = runVerdict({ counts, rejectsByCode: byCode, failureRate: failureRate(counts, byCode, config.run.ignoreCodes), maxFailureRate: config.run.maxFailureRate, explicitInputs: true });
  if (verdict.why) process.stderr.write(`newsclean ${name}: exit ${verdict.code}: ${verdict.why}\n`);
  return verdict.code;
}

/**
 * Whether the paths hold one input file at least (an unreadable one counts:
 * it becomes a reject). With none, the stages, rule files and language model
 * are never loaded: an empty folder from cron costs only the process start.
 */
async function hasInput(paths: string[], opts: { extensions?: readonly string[] } = {}): Promise<boolean> {
  for await (const _entry of walkInputs(paths, opts)) return true;
  return false;
}

async function* noOutcomes(): AsyncGenerator<PageOutcome> {}

/** `--settings FILE` (JSON), as for every command; `-c/--config` is the old name, kept so existing cron lines work. */
function fileConfig(opts: CommonOptions & { settings?: string }): Config {
  if (opts.config !== undefined && opts.settings === undefined) {
    process.stderr.write('newsclean: -c/--config for extract and clean-text is deprecated: use --settings FILE (-c names the sources file elsewhere)\n');
  }
  return loadConfig({ file: opts.settings ?? opts.config, env: process.env, flags: flagLayer(opts) });
}

/** --url-pattern, --host, --since, --until: which records of web archives to take (flags checked before anything is read). */
function warcFilter(opts: ExtractOptions): WarcFilter | undefined {
  if (!opts.urlPattern && !opts.host?.length && !opts.since && !opts.until && !opts.lang) return undefined;
  let urlPattern: RegExp | undefined;
  try {
    urlPattern = opts.urlPattern ? new RegExp(opts.urlPattern) : undefined;
  } catch (err) {
    throw new NewscleanError('USAGE', `--url-pattern: ${(err as Error).message}`);
  }
  const langs = opts.lang?.split(',').map((l) => l.trim()).filter(Boolean);
  if (opts.lang !== undefined && !langs?.every((l) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l))) throw new NewscleanError('USAGE', `--lang: expected language codes such as ar,fa, got: ${opts.lang}`);
  return { urlPattern, hosts: opts.host, since: opts.since ? parseSince(opts.since) : null, until: opts.until ? parseSince(opts.until, '--until') : null, langs };
}

export const runExtract = (paths: string[], opts: ExtractOptions): Promise<number> =>
  runCommand('extract', opts, async () => {
    const config = fileConfig(opts);
    await checkInputPaths(paths);
    if (!(await hasInput(paths))) return { config, outcomes: () => noOutcomes() };
    // More than one thread: worker threads clean, and this thread never loads the stages that clean.
    const threads = opts.threads ?? 1;
    const inputs = { baseUrl: opts.baseUrl, warc: warcFilter(opts) };
    if (threads > 1) return { config, ...(await (await import('./extract-threads.js')).startThreadedExtract(paths, config, threads, inputs)) };
    const { createContext, extractPaths } = await pipeline();
    return { config, outcomes: (log) => extractPaths(paths, createContext(config, log), inputs) };
  });

export const runCleanText = (paths: string[], opts: CommonOptions): Promise<number> =>
  runCommand('clean-text', opts, async () => {
    const config = fileConfig(opts);
    await checkInputPaths(paths, { extensions: TEXT_EXTENSIONS });
    if (!(await hasInput(paths, { extensions: TEXT_EXTENSIONS }))) return { config, outcomes: () => noOutcomes() };
    const { cleanTextPaths, createTextContext } = await pipeline();
    return { config, outcomes: (log) => cleanTextPaths(paths, createTextContext(config, log)) };
  });
