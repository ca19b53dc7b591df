/**
 * crawl, scrape and recrawl on the command line: their options. What they do
 * is in fetch-run.ts, imported only when one of them runs.
 */
import type { Command } from 'commander';
import { DEFAULT_SOURCES, type FetchCommandOptions, withRunOptions } from './run-options.js';

const run = () => import('./fetch-run.js');

/** Options of the commands that fetch over HTTP. */
function withFetchOptions(cmd: Command): Command {
  return withRunOptions(cmd)
    .option('-o, --output <file>', 'write JSONL records here ("-" for stdout; default <output-dir>/<date>/<run-id>.jsonl)')
    .option('--rejects <file>', 'write one JSON line per URL that produced no article (default beside the records)');
}

/** Register crawl, scrape and recrawl. */
export function addFetchCommands(program: Command, setExit: (code: number) => void): void {
  withFetchOptions(
    program
      .command('crawl')
      .description('Discover articles on the configured sites (feeds, sitemaps, links), fetch them politely, clean and export them.')
      .option('-c, --config <file>', `sources file (YAML, see config/sources.example.yaml; default ${DEFAULT_SOURCES}, under NEWSCLEAN_HOME when set)`)
      .option('--site <name>', 'crawl only this site (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--since <date>', 'skip feed and sitemap items older than this (ISO date, or 6h / 2d ago)')
      .option('--refresh', 'revisit articles exported by earlier runs (conditional GET; a changed text becomes a new version)')
      .option('--no-wait', 'with --queue: plan the run and queue its pages, then exit (the same command later waits for it and ends it)'),
  ).action(async (opts: FetchCommandOptions) => setExit(await (await run()).runCrawl(opts)));

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
  ).action(async (opts: FetchCommandOptions) => setExit(await (await run()).runRecrawl(opts)));

  withFetchOptions(
    program
      .command('scrape')
      .description('Fetch, clean and export the given article URLs (no discovery).')
      .argument('[url...]', 'article URLs')
      .option('--urls <file>', 'a file of URLs, one per line (# comments and blank lines ignored)')
      .option('--force', 'ignore the state: fetch without validators and export every article, even ones exported before')
      .option('-c, --config <file>', `sources file whose defaults (user agent, limits) apply; default ${DEFAULT_SOURCES} when it exists`),
  ).action(async (urls: string[], opts: FetchCommandOptions) => setExit(await (await run()).runScrape(urls, opts)));

}
