/**
 * What the commands that run crawls share once they run (crawl, scrape,
 * recrawl and schedule): the layered config with the sources file, where
 * relative paths live, and the plan of a crawl of some sites.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { type SiteSource, type Sources, loadSources } from '../config/sources.js';
import type { CrawlPlan } from '../crawl/index.js';
import { type CommonOptions, flagLayer, parseSince, stateFlag } from './args.js';
import { DEFAULT_SOURCES, type FetchCommandOptions } from './run-options.js';

/** CLI flags of the fetching commands as the top config layer. */
function fetchFlagLayer(opts: FetchCommandOptions): Record<string, unknown> {
  const flags = flagLayer(opts as CommonOptions & { allowPrivateNetworks?: boolean });
  if (opts.outputDir !== undefined || opts.gzip || opts.warc !== undefined) {
    flags['output'] = { ...(opts.outputDir !== undefined && { dir: opts.outputDir }), ...(opts.gzip && { gzip: true }), ...(opts.warc !== undefined && { warc: opts.warc }) };
  }
  if (opts.state !== undefined) flags['state'] = stateFlag(opts.state);
  if (opts.queue !== undefined) flags['queue'] = { url: opts.queue };
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
  if (config.output.warc !== undefined) config.output.warc = resolve(home, config.output.warc);
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
