#!/usr/bin/env node
/**
 * The command line: a thin shell over pipeline.ts.
 *
 * Exit status: 0 the run completed (rejects included); 1 every input failed;
 * 2 usage or configuration error.
 */
import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from './config/load.js';
import { NewscleanError } from './errors.js';
import { parseCount, parseSince } from './cli-args.js';
import { addStateCommands } from './cli-state.js';
import { createLogger } from './log.js';
// The pipeline (cheerio, rule tables, the language model) loads only for the commands that clean in this
// thread: a crawl cleans on worker threads and keeps the main thread light.
import type { Outcome } from './pipeline.js';
const pipeline = () => import('./pipeline.js');
import type { Config } from './config/schema.js';
import { TEXT_EXTENSIONS, checkInputPaths } from './stages/fetch/walk-inputs.js';
import { openJsonl } from './stages/export/jsonl-writer.js';
import { newRunId, openLineSink, runPaths, writeJsonAtomic } from './stages/export/run-files.js';
import { VERSION } from './version.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Sources, loadSources, selectSites } from './config/sources.js';
import type { CrawlPlan } from './crawl.js';
import type { RunCommand } from './run.js';
import { createCrawlDeps } from './crawl-deps.js';
import { defaultThreads } from './clean-pool.js';

export const EXIT = { OK: 0, ALL_FAILED: 1, USAGE: 2 } as const;

const DEFAULT_SOURCES = join('config', 'sources.yaml');

async function readUrlList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new NewscleanError('USAGE', `--urls: cannot read ${path}: ${(err as Error).message}`);
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

interface ExtractOptions {
  output?: string;
  outputDir?: string;
  gzip?: boolean;
  rejects?: string;
  baseUrl?: string;
  config?: string;
  logLevel?: string;
  minTextChars?: number;
  rulesDir?: string;
  fold?: boolean;
}

function parseUrl(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    throw new NewscleanError('USAGE', `--base-url: not an absolute URL: ${value}`);
  }
}


type CommonOptions = Omit<ExtractOptions, 'baseUrl'>;

/** CLI flags as the top config layer. */
function flagLayer(opts: CommonOptions & { allowPrivateNetworks?: boolean }): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  if (opts.logLevel) flags['log'] = { level: opts.logLevel };
  const clean: Record<string, unknown> = {};
  if (opts.minTextChars !== undefined) clean['minTextChars'] = opts.minTextChars;
  if (opts.rulesDir !== undefined) clean['rulesDir'] = opts.rulesDir;
  if (Object.keys(clean).length > 0) flags['clean'] = clean;
  if (opts.fold) flags['normalize'] = { fold: true };
  if (opts.allowPrivateNetworks) flags['fetch'] = { allowPrivateNetworks: true };
  return flags;
}

/**
 * Shared by every command: input check, records to -o, rejects to --rejects,
 * the one-line stderr summary, the exit status. `start` loads what the
 * command needs (config, rule files) before any output file is opened.
 */
async function runCommand(
  name: string,
  opts: { output?: string | undefined; rejects?: string | undefined; outputDir?: string | undefined; gzip?: boolean | undefined },
  start: () => Promise<{ outcomes: AsyncIterable<Outcome>; close?: () => Promise<void> }>,
): Promise<number> {
  const { outcomes: stream, close } = await start();

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
    await out.close();
    await rejectsOut?.close();
    await close?.();
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  if (run) {
    await writeJsonAtomic(run.manifest, {
      run_id: basename(run.manifest, '.manifest.json'), command: name, status: 'done', started_at: started.toISOString(), ended_at: new Date().toISOString(),
      files: { records: run.records, rejects: run.rejects, manifest: run.manifest }, counts: { articles, rejects }, rejects_by_code: byCode,
      versions: { newsclean: VERSION, node: process.version, record_schema: 1 },
    });
  }
  process.stderr.write(`newsclean ${name}: ${articles} articles, ${rejects} rejects, ${seconds.toFixed(2)} s${run ? ` (${run.manifest})` : ''}\n`);
  return articles === 0 && rejects > 0 ? EXIT.ALL_FAILED : EXIT.OK;
}

const fileConfig = (opts: CommonOptions): Config => loadConfig({ file: opts.config, env: process.env, flags: flagLayer(opts) });

const runExtract = (paths: string[], opts: ExtractOptions): Promise<number> =>
  runCommand('extract', opts, async () => {
    const config = fileConfig(opts);
    await checkInputPaths(paths);
    const { createContext, extractPaths } = await pipeline();
    return { outcomes: extractPaths(paths, createContext(config, createLogger(config.log.level)), { baseUrl: opts.baseUrl }) };
  });

const runCleanText = (paths: string[], opts: CommonOptions): Promise<number> =>
  runCommand('clean-text', opts, async () => {
    const config = fileConfig(opts);
    await checkInputPaths(paths, { extensions: TEXT_EXTENSIONS });
    const { cleanTextPaths, createTextContext } = await pipeline();
    return { outcomes: cleanTextPaths(paths, createTextContext(config, createLogger(config.log.level))) };
  });

interface FetchCommandOptions extends Omit<CommonOptions, 'output' | 'config'> {
  output?: string;
  config?: string;
  settings?: string;
  allowPrivateNetworks?: boolean;
  threads?: number;
  maxArticles?: number;
  /** As given (6h, 2026-11-01): the plan key of a resumable run must not move with the clock. */
  since?: string;
  site?: string[];
  urls?: string;
  state?: string;
  outputDir?: string;
  gzip?: boolean;
  refresh?: boolean;
  force?: boolean;
  from?: string;
  until?: string;
}

/** CLI flags of the fetching commands as the top config layer. */
function fetchFlagLayer(opts: FetchCommandOptions): Record<string, unknown> {
  const flags = flagLayer(opts as CommonOptions & { allowPrivateNetworks?: boolean });
  if (opts.outputDir !== undefined || opts.gzip) flags['output'] = { ...(opts.outputDir !== undefined && { dir: opts.outputDir }), ...(opts.gzip && { gzip: true }) };
  if (opts.state !== undefined) flags['state'] = { path: opts.state };
  return flags;
}

/**
 * crawl, scrape and recrawl: the sources file's `defaults:` sit between the
 * JSON settings file and the environment. Each is a run (src/run.ts): output
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
  const sourcesPath = opts.config ?? DEFAULT_SOURCES;
  const sources = opts.config !== undefined || name === 'crawl' || existsSync(sourcesPath) ? loadSources(sourcesPath) : null;
  const config = loadConfig({
    file: opts.settings,
    extra: sources ? [[sources.path, { fetch: sources.fetchDefaults }]] : [],
    env: process.env,
    flags: fetchFlagLayer(opts),
  });
  const { plan: crawlPlan, key } = await plan(sources, config);
  const log = createLogger(config.log.level);
  const { executeRun } = await import('./run.js');
  const summary = await executeRun(
    { command: name, plan: crawlPlan, planKey: key, output: opts.output, rejects: opts.rejects, refresh: opts.refresh ?? false, force: opts.force ?? false, conditional: !(opts.force || opts.from) },
    config,
    () => createCrawlDeps(config, log, opts.threads ?? defaultThreads()),
    log,
  );
  const c = summary.counts;
  const extra = [c.unchanged && `${c.unchanged} unchanged`, c.known && `${c.known} already known`, c.deferred && `${c.deferred} deferred`, summary.resumed && 'resumed'].filter(Boolean);
  process.stderr.write(`newsclean ${name}: ${c.articles} articles, ${c.rejects} rejects${extra.length ? `, ${extra.join(', ')}` : ''}, ${summary.seconds.toFixed(2)} s (${summary.files.manifest})\n`);
  return c.articles === 0 && c.rejects > 0 ? EXIT.ALL_FAILED : EXIT.OK;
}

const runCrawl = (opts: FetchCommandOptions): Promise<number> =>
  runFetchCommand('crawl', opts, async (sources) => {
    const sites = selectSites(sources!, opts.site ?? []);
    return {
      plan: { sites, urls: [], maxArticles: opts.maxArticles ?? null, since: opts.since ? parseSince(opts.since) : null },
      key: { sites: sites.map((s) => s.name), maxArticles: opts.maxArticles ?? null, since: opts.since ?? null },
    };
  });

const runScrape = (urls: string[], opts: FetchCommandOptions): Promise<number> =>
  runFetchCommand('scrape', opts, async () => {
    const listed = opts.urls ? await readUrlList(opts.urls) : [];
    const all = [...urls, ...listed];
    if (all.length === 0) throw new NewscleanError('USAGE', 'scrape: give URLs as arguments or --urls FILE');
    return { plan: { sites: [], urls: all, maxArticles: opts.maxArticles ?? null, since: null }, key: { urls: all } };
  });

/** recrawl: the URLs of --urls, --from (an earlier run's records) and the state's exported URLs of --site / --since / --until. */
const runRecrawl = (opts: FetchCommandOptions): Promise<number> =>
  runFetchCommand('recrawl', opts, async (_sources, config) => {
    const urls: string[] = [];
    if (opts.urls) urls.push(...(await readUrlList(opts.urls)));
    if (opts.from) urls.push(...(await urlsOfRun(opts.from)));
    if (opts.site?.length || opts.since || opts.until) {
      const range = { sites: opts.site ?? [], since: opts.since ? parseSince(opts.since) : null, until: opts.until ? parseSince(opts.until, '--until') : null };
      const { openState } = await import('./state/store.js');
      const store = openState(config.state.path);
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
  const { readRunLines } = await import('./stages/export/run-files.js');
  const urls: string[] = [];
  for await (const line of readRunLines(path)) {
    const r = line as { source?: unknown; url?: unknown };
    const u = typeof r.source === 'string' && /^https?:/.test(r.source) ? r.source : typeof r.url === 'string' ? r.url : null;
    if (u) urls.push(u);
  }
  return urls;
}

/** Output, config and cleaning options every command that writes records takes. */
function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('-o, --output <file>', 'write JSONL records here ("-" for stdout, the default without --output-dir)')
    .option('--output-dir <dir>', 'write <dir>/<date>/<run-id>.jsonl, .rejects.jsonl and .manifest.json instead')
    .option('--gzip', 'with --output-dir: write .jsonl.gz')
    .option('--rejects <file>', 'write one JSON line per input that produced no article')
    .option('-c, --config <file>', 'JSON config file (see README, "Configuration")')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
    .addOption(new Option('--min-text-chars <n>', 'shorter articles become NOT_AN_ARTICLE rejects').argParser(parseCount))
    .option('--rules-dir <dir>', 'folder of rule files that replace the bundled config/rules/ files of the same name')
    .option('--fold', 'add text_folded, the search form of the text (Arabic normalization, ASCII digits)');
}

/** Options of the commands that fetch over HTTP. */
function withFetchOptions(cmd: Command): Command {
  return cmd
    .option('-o, --output <file>', 'write JSONL records here ("-" for stdout; default <output-dir>/<date>/<run-id>.jsonl)')
    .option('--rejects <file>', 'write one JSON line per URL that produced no article (default beside the records)')
    .option('--output-dir <dir>', 'where runs write their records, rejects and manifest (default output/)')
    .option('--gzip', 'write .jsonl.gz')
    .option('--state <path>', 'the SQLite state store (default output/state.db)')
    .option('--settings <file>', 'JSON settings file (clean, normalize, fetch, log; see README, "Configuration")')
    .option('--allow-private-networks', 'allow loopback, private and link-local targets (off by default)')
    .addOption(new Option('--threads <n>', 'worker threads for cleaning (default: one per core; 0 = main thread)').argParser(parseCount))
    .addOption(new Option('--max-articles <n>', 'stop after this many articles').argParser(parseCount))
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
    .addOption(new Option('--min-text-chars <n>', 'shorter articles become NOT_AN_ARTICLE rejects').argParser(parseCount))
    .option('--rules-dir <dir>', 'folder of rule files that replace the bundled config/rules/ files of the same name')
    .option('--fold', 'add text_folded, the search form of the text (Arabic normalization, ASCII digits)');
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command()
    .name('newsclean')
    .description('Turn news pages into a clean article corpus (JSON lines).')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  withCommonOptions(
    program
      .command('extract')
      .description('Extract clean article records from saved pages (.html, .htm, .html.gz files or directories).')
      .argument('<path...>', 'files or directories (walked recursively)')
      .addOption(new Option('--base-url <url>', 'URL of a file argument, or base URL of a directory argument').argParser(parseUrl)),
  ).action(async (paths: string[], opts: ExtractOptions) => setExit(await runExtract(paths, opts)));

  withCommonOptions(
    program
      .command('clean-text')
      .description('Clean plain-text dumps of scraped pages (.txt, .txt.gz files or directories) into article records.')
      .argument('<path...>', 'files or directories (walked recursively)'),
  ).action(async (paths: string[], opts: CommonOptions) => setExit(await runCleanText(paths, opts)));

  withFetchOptions(
    program
      .command('crawl')
      .description('Discover articles on the configured sites (feeds, sitemaps, links), fetch them politely, clean and export them.')
      .option('-c, --config <file>', `sources file (YAML, see config/sources.example.yaml)`, DEFAULT_SOURCES)
      .option('--site <name>', 'crawl only this site (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--since <date>', 'skip feed and sitemap items older than this (ISO date, or 6h / 2d ago)')
      .option('--refresh', 'revisit articles exported by earlier runs (conditional GET; a changed text becomes a new version)'),
  ).action(async (opts: FetchCommandOptions) => setExit(await runCrawl(opts)));

  withFetchOptions(
    program
      .command('recrawl')
      .description('Re-fetch and re-extract pages again: a list, an earlier run\'s output, or what the state holds for sites and dates.')
      .option('--urls <file>', 'a file of URLs, one per line')
      .option('--from <file>', 'the records (.jsonl or .jsonl.gz) of an earlier run: re-fetch and re-extract its pages')
      .option('--site <name>', 'URLs of this site exported before (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--since <date>', 'URLs first seen at or after this (ISO date, or 6h / 2d ago)')
      .option('--until <date>', 'URLs first seen before this (ISO date, or 6h / 2d ago)')
      .option('--force', 'ignore the state: fetch without validators and export every article, changed or not')
      .option('-c, --config <file>', `sources file whose defaults (user agent, limits) apply; default ${DEFAULT_SOURCES} when it exists`),
  ).action(async (opts: FetchCommandOptions) => setExit(await runRecrawl(opts)));

  withFetchOptions(
    program
      .command('scrape')
      .description('Fetch, clean and export the given article URLs (no discovery).')
      .argument('[url...]', 'article URLs')
      .option('--urls <file>', 'a file of URLs, one per line (# comments and blank lines ignored)')
      .option('-c, --config <file>', `sources file whose defaults (user agent, limits) apply; default ${DEFAULT_SOURCES} when it exists`),
  ).action(async (urls: string[], opts: FetchCommandOptions) => setExit(await runScrape(urls, opts)));

  addStateCommands(program, setExit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  try {
    await buildProgram((c) => (code = c)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof NewscleanError && (err.code === 'USAGE' || err.code === 'CONFIG_INVALID')) {
      process.stderr.write(`newsclean: ${err.code}: ${err.message}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`newsclean: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.USAGE;
  }
  return code;
}

process.exitCode = await main(process.argv);
