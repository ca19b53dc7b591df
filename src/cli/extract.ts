/**
 * extract and clean-text on the command line: their options. What they do is
 * in extract-run.ts, imported only when one of them runs, so that start-up
 * (and every other command) does not load the stages.
 */
import { type Command, Option } from 'commander';
import { NewscleanError } from '../shared/errors.js';
import { parseUrl as parseAnyUrl } from '../shared/url.js';
import { type CommonOptions, type ExtractOptions, asFlag, parseCount, withLogOptions } from './args.js';

const run = () => import('./extract-run.js');

function parseBaseUrl(value: string): string {
  const url = parseAnyUrl(value);
  if (!url) throw new NewscleanError('USAGE', `--base-url: not an absolute URL: ${value}`);
  return url.href;
}

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
      .addOption(new Option('--base-url <url>', 'URL of a file argument, or base URL of a directory argument').argParser(asFlag(parseBaseUrl)))
      .option('--url-pattern <regex>', 'web archives: only records whose WARC-Target-URI matches (JavaScript RegExp)')
      .option('--host <host>', 'web archives: only records of this host (repeatable)', (v: string, acc: string[] = []) => [...acc, v.toLowerCase()])
      .option('--since <date>', 'web archives: only records with a WARC-Date at or after this (ISO date, or 6h / 2d ago)')
      .option('--until <date>', 'web archives: only records with a WARC-Date before this (ISO date, or 6h / 2d ago)')
      .option('--lang <codes>', 'web archives: only pages in these languages, guessed before cleaning (comma-separated: ar,fa)')
      .addOption(new Option('--threads <n>', 'clean on n worker threads; records stay in input order (default 1: in the main thread)').argParser(asFlag(parseCount))),
  ).action(async (paths: string[], opts: ExtractOptions) => setExit(await (await run()).runExtract(paths, opts)));

  withCommonOptions(
    program
      .command('clean-text')
      .description('Clean plain-text dumps of scraped pages (.txt, .txt.gz files or directories) into article records.')
      .argument('<path...>', 'files or directories (walked recursively)'),
  ).action(async (paths: string[], opts: CommonOptions) => setExit(await (await run()).runCleanText(paths, opts)));
}
