/**
 * What the command files share (src/cli.ts, cli-fetch.ts, cli-state.ts):
 * exit codes, option types, the flags-to-config layer and argument parsers
 * (each bad value is a USAGE error).
 */
import { type Command, Option } from 'commander';
import { NewscleanError } from './errors.js';

/** --since and kin: an ISO date or date-time, or a span back from now (90m, 6h, 2d, 1w). */
export function parseSince(value: string, flag = '--since'): Date {
  const span = /^(\d+)\s*(m|h|d|w)$/i.exec(value.trim());
  if (span) {
    const unit = { m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[span[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return new Date(Date.now() - Number(span[1]) * unit);
  }
  const d = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new NewscleanError('USAGE', `${flag}: expected an ISO date (2026-11-01) or a span (6h, 2d), got: ${value}`);
  return d;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new NewscleanError('USAGE', `expected a whole number, got: ${value}`);
  return n;
}

/**
 * Exit statuses (README, "Exit codes"): cron and CI act on them, so each
 * cause that needs a different reaction has its own.
 */
export const EXIT = {
  OK: 0,
  /** The run finished but failed: its failure rate passed run.maxFailureRate, or every given input was rejected. */
  RUN_FAILED: 1,
  USAGE: 2,
  CONFIG: 3,
  /** The state store cannot be opened (locked, unwritable, newer schema). */
  STATE: 4,
  /** The same run is still going in another process (an overlapping cron job): usually nothing to do. */
  BUSY: 5,
  /** A bug: an error newsclean did not expect. */
  INTERNAL: 70,
} as const;

/** The exit status for a coded error that stopped a command. */
export function exitFor(code: string): number {
  if (code === 'CONFIG_INVALID') return EXIT.CONFIG;
  if (code === 'STATE_UNAVAILABLE') return EXIT.STATE;
  if (code === 'RUN_IN_PROGRESS') return EXIT.BUSY;
  return EXIT.USAGE;
}

/**
 * The verdict on a finished run: failed when the failure rate passed the
 * threshold, or (for commands given their inputs explicitly) when every input
 * was rejected.
 */
export function runExit(counts: { articles: number; rejects: number }, failureRate: number, maxFailureRate: number, explicitInputs: boolean): number {
  if (failureRate > maxFailureRate) return EXIT.RUN_FAILED;
  if (explicitInputs && counts.articles === 0 && counts.rejects > 0) return EXIT.RUN_FAILED;
  return EXIT.OK;
}

export interface ExtractOptions {
  output?: string;
  outputDir?: string;
  gzip?: boolean;
  rejects?: string;
  baseUrl?: string;
  config?: string;
  logLevel?: string;
  logFormat?: string;
  quiet?: boolean;
  maxFailureRate?: number;
  minTextChars?: number;
  rulesDir?: string;
  fold?: boolean;
}

export type CommonOptions = Omit<ExtractOptions, 'baseUrl'>;

/** CLI flags as the top config layer. */
export function flagLayer(opts: CommonOptions & { allowPrivateNetworks?: boolean }): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  if (opts.logLevel || opts.logFormat) flags['log'] = { ...(opts.logLevel && { level: opts.logLevel }), ...(opts.logFormat && { format: opts.logFormat }) };
  if (opts.maxFailureRate !== undefined) flags['run'] = { maxFailureRate: opts.maxFailureRate };
  const clean: Record<string, unknown> = {};
  if (opts.minTextChars !== undefined) clean['minTextChars'] = opts.minTextChars;
  if (opts.rulesDir !== undefined) clean['rulesDir'] = opts.rulesDir;
  if (Object.keys(clean).length > 0) flags['clean'] = clean;
  if (opts.fold) flags['normalize'] = { fold: true };
  if (opts.allowPrivateNetworks) flags['fetch'] = { allowPrivateNetworks: true };
  return flags;
}

export function parseRate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new NewscleanError('USAGE', `expected a rate between 0 and 1 (0.25 = 25 %), got: ${value}`);
  return n;
}

/** Logging and progress options every command takes. */
export function withLogOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--log-level <level>', 'log level (default info)').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
    .addOption(new Option('--log-format <format>', 'json lines, or pretty text (default: pretty on a terminal, json elsewhere)').choices(['json', 'pretty']))
    .option('-q, --quiet', 'no progress display or progress lines; only warnings and errors are logged')
    .addOption(new Option('--max-failure-rate <rate>', 'exit 1 when more than this share of inputs failed (default 0.5)').argParser(parseRate));
}
