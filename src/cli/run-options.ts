/**
 * The options of the commands that run crawls (crawl, scrape, recrawl and
 * schedule). Light on purpose: it is loaded at start-up to build the program;
 * what the options turn into (config, plan) is fetch-config.ts.
 */
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { type CommonOptions, asFlag, parseCount, withLogOptions } from './args.js';

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
  /** Folder of the run's web archive (WARC). */
  warc?: string;
  refresh?: boolean;
  force?: boolean;
  from?: string;
  until?: string;
  /** Seconds to wait for a site another crawl holds. */
  lockWait?: number;
  /** The queue's Redis: the run is planned here and fetched by `newsclean worker` processes. */
  queue?: string;
  /** --no-wait (with --queue): plan and queue the run, then exit. */
  wait?: boolean;
}

/** Options of every command that runs crawls (schedule included): where runs write, limits, cleaning. */
export function withRunOptions(cmd: Command): Command {
  return withLogOptions(cmd)
    .option('--output-dir <dir>', 'where runs write their records, rejects and manifest (default output/)')
    .option('--gzip', 'write .jsonl.gz')
    .option('--warc <dir>', 'archive every HTTP exchange as WARC files (.warc.gz) in this folder; records then say where their response is (output.warc)')
    .option('--state <path|url>', 'the state store: a SQLite file (default output/state.db) or a postgres:// URL shared by many workers (NEWSCLEAN_STATE_URL)')
    .option('--settings <file>', 'JSON settings file (clean, normalize, fetch, log; see README, "Configuration")')
    .option('--queue <url>', 'spread the run over `newsclean worker` processes: the queue\'s Redis (redis:// or rediss://; NEWSCLEAN_QUEUE_URL)')
    .option('--allow-private-networks', 'allow loopback, private and link-local targets (off by default)')
    .addOption(new Option('--threads <n>', 'worker threads for cleaning (default: one per core; 0 = main thread)').argParser(asFlag(parseCount)))
    .addOption(new Option('--max-articles <n>', 'stop after this many articles').argParser(asFlag(parseCount)))
    .addOption(new Option('--lock-wait <seconds>', 'when another crawl holds a site: wait this long for it, then exit 5 (default 0)').argParser(asFlag(parseCount)))
    .addOption(new Option('--min-text-chars <n>', 'shorter articles become NOT_AN_ARTICLE rejects').argParser(asFlag(parseCount)))
    .option('--rules-dir <dir>', 'folder of rule files that replace the bundled config/rules/ files of the same name')
    .option('--fold', 'add text_folded, the search form of the text (Arabic normalization, ASCII digits)');
}
