/**
 * What the commands that run crawls share (crawl, scrape, recrawl and
 * schedule): their options, the layered config with the sources file, where
 * relative paths live, and the plan of a crawl of some sites.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { type SiteSource, type Sources, loadSources } from '../config/sources.js';
import type { CrawlPlan } from '../crawl/index.js';
import { type CommonOptions, asFlag, flagLayer, parseCount, parseSince, withLogOptions } from './args.js';

export const DEFAULT_SOURCES = join('config', 'sources.yaml');

export interface FetchCommandOptions extends Omit<CommonOptions, 'output' | 'config'> {
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
  /** Seconds to wait for a site another crawl holds. */
  lockWait?: number;
}

/** CLI flags of the fetching commands as the top config layer. */
function fetchFlagLayer(opts: FetchCommandOptions): Record<string, unknown> {
  const flags = flagLayer(opts as CommonOptions & { allowPrivateNetworks?: boolean });
  if (opts.outputDir !== undefined || opts.gzip) flags['output'] = { ...(opts.outputDir !== undefined && { dir: opts.outputDir }), ...(opts.gzip && { gzip: true }) };
  if (opts.state !== undefined) flags['state'] = { path: opts.state };
  if (opts.lockWait !== undefined) flags['run'] = { ...(flags['run'] as object | undefined), lockWaitMs: opts.lockWait * 1000 };
  return flags;
}

/** The sources file (required for crawl and schedule, else read when present) and the layered config. */
export function loadFetchConfig(opts: FetchCommandOptions & { settingsExtra?: Record<string, unknown> }, needsSources: boolean): { sources: Sources | null; config: Config } {
  const env = process.env;
  // The default sources file is looked for under NEWSCLEAN_HOME when set (cron runs from anywhere).
  const sourcesPath = opts.config ?? (env['NEWSCLEAN_HOME'] ? resolve(env['NEWSCLEAN_HOME'], DEFAULT_SOURCES) : DEFAULT_SOURCES);
  const sources = opts.config !== undefined || needsSources || existsSync(sourcesPath) ? loadSources(sourcesPath) : null;
  const config = loadConfig({
    file: opts.settings,
    extra: sources ? [[sources.path, { fetch: sources.fetchDefaults }]] : [],
    env,
    flags: { ...fetchFlagLayer(opts), ...opts.settingsExtra },
  });
  const home = projectHome(sources ? sourcesPath : null, env);
  config.state.path = resolve(home, config.state.path);
  config.output.dir = resolve(home, config.output.dir);
  return { sources, config };
}

/**
 * Where relative state and output paths live, so a cron line needs no `cd`:
 * NEWSCLEAN_HOME when set; else the folder of the sources file (its parent
 * when that folder is `config/`, the layout of a checkout:
 * config/sources.yaml beside output/); else the working directory.
 */
export function projectHome(sourcesPath: string | null, env: NodeJS.ProcessEnv): string {
  if (env['NEWSCLEAN_HOME']) return resolve(env['NEWSCLEAN_HOME']);
  if (sourcesPath === null) return process.cwd();
  const folder = dirname(resolve(sourcesPath));
  return basename(folder) === 'config' ? dirname(folder) : folder;
}

/** The plan of a crawl of these sites, and its key: the same for `crawl --site X` and a scheduled run of X, so either resumes the other's interrupted run. */
export function crawlPlanOf(sites: SiteSource[], opts: { maxArticles?: number | undefined; since?: string | undefined }): { plan: CrawlPlan; key: unknown } {
  return {
    plan: { sites, urls: [], maxArticles: opts.maxArticles ?? null, since: opts.since ? parseSince(opts.since) : null },
    key: { sites: sites.map((s) => s.name), maxArticles: opts.maxArticles ?? null, since: opts.since ?? null },
  };
}

/** Options of every command that runs crawls (schedule included): where runs write, limits, cleaning. */
export function withRunOptions(cmd: Command): Command {
  return withLogOptions(cmd)
    .option('--output-dir <dir>', 'where runs write their records, rejects and manifest (default output/)')
    .option('--gzip', 'write .jsonl.gz')
    .option('--state <path>', 'the SQLite state store (default output/state.db)')
    .option('--settings <file>', 'JSON settings file (clean, normalize, fetch, log; see README, "Configuration")')
    .option('--allow-private-networks', 'allow loopback, private and link-local targets (off by default)')
    .addOption(new Option('--threads <n>', 'worker threads for cleaning (default: one per core; 0 = main thread)').argParser(asFlag(parseCount)))
    .addOption(new Option('--max-articles <n>', 'stop after this many articles').argParser(asFlag(parseCount)))
    .addOption(new Option('--lock-wait <seconds>', 'when another crawl holds a site: wait this long for it, then exit 5 (default 0)').argParser(asFlag(parseCount)))
    .addOption(new Option('--min-text-chars <n>', 'shorter articles become NOT_AN_ARTICLE rejects').argParser(asFlag(parseCount)))
    .option('--rules-dir <dir>', 'folder of rule files that replace the bundled config/rules/ files of the same name')
    .option('--fold', 'add text_folded, the search form of the text (Arabic normalization, ASCII digits)');
}
