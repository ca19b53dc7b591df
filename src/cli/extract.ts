/**
 * extract and clean-text: saved pages and plain-text dumps through the stages
 * in this thread (src/stages/pipeline.ts), records to -o or a run folder with
 * the run layer's manifest (--output-dir). No state store, no crawl.
 */
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { NewscleanError } from '../shared/errors.js';
import { type Logger, createLogger } from '../shared/log.js';
import { parseUrl as parseAnyUrl } from '../shared/url.js';
import { manifestOf, writeManifest } from '../run/manifest.js';
import { failureRate } from '../run/summary.js';
import { closeAll, handleStopSignals } from '../run/shutdown.js';
import { TEXT_EXTENSIONS, checkInputPaths } from '../stages/fetch/index.js';
import { newRunId, openJsonl, openLineSink, runPaths } from '../stages/export/index.js';
import { type CommonOptions, type ExtractOptions, asFlag, flagLayer, parseCount, runVerdict, withLogOptions } from './args.js';
// The pipeline (cheerio, rule tables, the language model) loads only for the commands that clean in this
// thread: a crawl cleans on worker threads and keeps the main thread light.
import type { PageOutcome } from '../stages/pipeline.js';
const pipeline = () => import('../stages/pipeline.js');

function parseBaseUrl(value: string): string {
  const url = parseAnyUrl(value);
  if (!url) throw new NewscleanError('USAGE', `--base-url: not an absolute URL: ${value}`);
  return url.href;
}

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

/** `--settings FILE` (JSON), as for every command; `-c/--config` is the old name, kept so existing cron lines work. */
function fileConfig(opts: CommonOptions & { settings?: string }): Config {
  if (opts.config !== undefined && opts.settings === undefined) {
    process.stderr.write('newsclean: -c/--config for extract and clean-text is deprecated: use --settings FILE (-c names the sources file elsewhere)\n');
  }
  return loadConfig({ file: opts.settings ?? opts.config, env: process.env, flags: flagLayer(opts) });
}

const runExtract = (paths: string[], opts: ExtractOptions): Promise<number> =>
  runCommand('extract', opts, async () => {
    const config = fileConfig(opts);
    await checkInputPaths(paths);
    const { createContext, extractPaths } = await pipeline();
    return { config, outcomes: (log) => extractPaths(paths, createContext(config, log), { baseUrl: opts.baseUrl }) };
  });

const runCleanText = (paths: string[], opts: CommonOptions): Promise<number> =>
  runCommand('clean-text', opts, async () => {
    const config = fileConfig(opts);
    await checkInputPaths(paths, { extensions: TEXT_EXTENSIONS });
    const { cleanTextPaths, createTextContext } = await pipeline();
    return { config, outcomes: (log) => cleanTextPaths(paths, createTextContext(config, log)) };
  });

/** Output, config and cleaning options every command that writes records takes. */
function withCommonOptions(cmd: Command): Command {
  return withLogOptions(cmd)
    .option('-o, --output <file>', 'write JSONL records here ("-" for stdout, the default without --output-dir)')
    .option('--output-dir <dir>', 'write <dir>/<date>/<run-id>.jsonl, .rejects.jsonl and .manifest.json instead')
    .option('--gzip', 'with --output-dir: write .jsonl.gz')
    .option('--rejects <file>', 'write one JSON line per input that produced no article')
    .option('--settings <file>', 'JSON settings file (see README, "Configuration")')
    .addOption(new Option('-c, --config <file>', 'old name of --settings').hideHelp())
    .addOption(new Option('--min-text-chars <n>', 'shorter articles become NOT_AN_ARTICLE rejects').argParser(asFlag(parseCount)))
    .option('--rules-dir <dir>', 'folder of rule files that replace the bundled config/rules/ files of the same name')
    .option('--fold', 'add text_folded, the search form of the text (Arabic normalization, ASCII digits)');
}

/** Register extract and clean-text. */
export function addExtractCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('extract')
      .description('Extract clean article records from saved pages (.html, .htm, .html.gz files or directories).')
      .argument('<path...>', 'files or directories (walked recursively)')
      .addOption(new Option('--base-url <url>', 'URL of a file argument, or base URL of a directory argument').argParser(asFlag(parseBaseUrl))),
  ).action(async (paths: string[], opts: ExtractOptions) => setExit(await runExtract(paths, opts)));

  withCommonOptions(
    program
      .command('clean-text')
      .description('Clean plain-text dumps of scraped pages (.txt, .txt.gz files or directories) into article records.')
      .argument('<path...>', 'files or directories (walked recursively)'),
  ).action(async (paths: string[], opts: CommonOptions) => setExit(await runCleanText(paths, opts)));
}
