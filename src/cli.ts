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
import { createLogger } from './log.js';
import { type Outcome, cleanTextPaths, createContext, createTextContext, extractPaths } from './pipeline.js';
import type { Config } from './config/schema.js';
import type { Logger } from './log.js';
import { TEXT_EXTENSIONS, checkInputPaths } from './stages/fetch/walk-inputs.js';
import { openJsonl } from './stages/export/jsonl-writer.js';
import { VERSION } from './version.js';

export const EXIT = { OK: 0, ALL_FAILED: 1, USAGE: 2 } as const;

interface ExtractOptions {
  output: string;
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

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new NewscleanError('USAGE', `expected a whole number, got: ${value}`);
  return n;
}

type CommonOptions = Omit<ExtractOptions, 'baseUrl'>;

/**
 * Shared by every command: layered config, input check, records to -o, rejects
 * to --rejects, the one-line stderr summary, the exit status.
 */
async function runCommand(
  name: string,
  paths: string[],
  opts: CommonOptions,
  check: (paths: string[]) => Promise<void>,
  outcomes: (config: Config, log: Logger) => AsyncIterable<Outcome>,
): Promise<number> {
  const flags: Record<string, unknown> = {};
  if (opts.logLevel) flags['log'] = { level: opts.logLevel };
  const clean: Record<string, unknown> = {};
  if (opts.minTextChars !== undefined) clean['minTextChars'] = opts.minTextChars;
  if (opts.rulesDir !== undefined) clean['rulesDir'] = opts.rulesDir;
  if (Object.keys(clean).length > 0) flags['clean'] = clean;
  if (opts.fold) flags['normalize'] = { fold: true };
  const config = loadConfig({ file: opts.config, env: process.env, flags });
  await check(paths);
  // Contexts (rule files) load here, before any output file is opened.
  const stream = outcomes(config, createLogger(config.log.level));

  const started = process.hrtime.bigint();
  const out = openJsonl(opts.output);
  const rejectsOut = opts.rejects ? openJsonl(opts.rejects) : null;
  let articles = 0;
  let rejects = 0;
  try {
    for await (const outcome of stream) {
      if (outcome.ok) {
        articles++;
        await out.write(outcome.record);
      } else {
        rejects++;
        await rejectsOut?.write(outcome.reject);
      }
    }
  } finally {
    await out.close();
    await rejectsOut?.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(`newsclean ${name}: ${articles} articles, ${rejects} rejects, ${seconds.toFixed(2)} s\n`);
  return articles === 0 && rejects > 0 ? EXIT.ALL_FAILED : EXIT.OK;
}

const runExtract = (paths: string[], opts: ExtractOptions): Promise<number> =>
  runCommand('extract', paths, opts, (p) => checkInputPaths(p), (config, log) =>
    extractPaths(paths, createContext(config, log), { baseUrl: opts.baseUrl }),
  );

const runCleanText = (paths: string[], opts: CommonOptions): Promise<number> =>
  runCommand('clean-text', paths, opts, (p) => checkInputPaths(p, { extensions: TEXT_EXTENSIONS }), (config, log) =>
    cleanTextPaths(paths, createTextContext(config, log)),
  );

/** Output, config and cleaning options every command that writes records takes. */
function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('-o, --output <file>', 'write JSONL records here ("-" for stdout)', '-')
    .option('--rejects <file>', 'write one JSON line per input that produced no article')
    .option('-c, --config <file>', 'JSON config file (see README, "Configuration")')
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
