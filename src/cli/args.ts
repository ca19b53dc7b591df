/**
 * What the command files share (src/cli/: extract.ts, fetch.ts, run-options.ts, schedule.ts, state.ts):
 * exit codes, option types, the flags-to-config layer and argument parsers
 * (each bad value is a USAGE error).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { NewscleanError } from '../shared/errors.js';
import { isPostgresUrl } from '../state/postgres/location.js';

/** --since and kin: an ISO date or date-time, or a span back from now (90m, 6h, 2d, 1w). */
export function parseSince(value: string, flag = '--since'): Date {
  const span = /^(\d+)\s*(m|h|d|w)$/i.exec(value.trim());
  if (span) {
    const unit = { m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[span[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return new Date(Date.now() - Number(span[1]) * unit);
  }
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const d = ymd ? new Date(value) : new Date(NaN);
  // JavaScript rolls 2026-02-30 over to March 2: a calendar day that does not exist is refused.
  const real = ymd !== null && new Date(Date.UTC(+ymd[1]!, +ymd[2]! - 1, +ymd[3]!)).toISOString().startsWith(ymd[0]);
  if (Number.isNaN(d.getTime()) || !real) throw new NewscleanError('USAGE', `${flag}: expected an ISO date (2026-11-01) or a span (6h, 2d), got: ${value}`);
  return d;
}

/**
 * An argument parser for commander: a bad value is reported by commander
 * with the flag's name ("option '--max-articles <n>' argument 'abc' is
 * invalid. expected a whole number …"), exit 2.
 */
export const asFlag =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };

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
  /** The state store cannot be opened or written (locked, unwritable, full, replaced, newer schema), or the queue's Redis cannot be reached. */
  STATE: 4,
  /** The same run is still going in another process (an overlapping cron job): usually nothing to do. */
  BUSY: 5,
  /** One or more sites could not be reached at all (an outage); the other sites finished and were exported. */
  SITE_FAILED: 6,
  /** A bug: an error newsclean did not expect. */
  INTERNAL: 70,
  /** An output file or folder could not be written (sysexits EX_IOERR). */
  OUTPUT: 74,
  /** stdout was closed by its reader (`| head`): 128 + SIGPIPE, ended quietly. */
  PIPE_CLOSED: 141,
} as const;

/** The exit status for a coded error that stopped a command. */
export function exitFor(code: string): number {
  if (code === 'CONFIG_INVALID') return EXIT.CONFIG;
  if (code === 'STATE_UNAVAILABLE' || code === 'QUEUE_UNAVAILABLE') return EXIT.STATE;
  if (code === 'RUN_IN_PROGRESS') return EXIT.BUSY;
  if (code === 'OUTPUT_FAILED') return EXIT.OUTPUT;
  return EXIT.USAGE;
}

/** A finished run's exit status and, when it is not 0, the one line that says why. */
export interface Verdict {
  code: number;
  why: string | null;
}

export interface VerdictInput {
  counts: { articles: number; rejects: number };
  rejectsByCode: Record<string, number>;
  failureRate: number;
  maxFailureRate: number;
  /** Commands given their inputs explicitly (extract, scrape): every input rejected is a failure. */
  explicitInputs: boolean;
  sitesFailed?: ReadonlyArray<{ site: string; code: string; message: string }>;
}

const pct = (r: number): string => `${(r * 100).toFixed(1).replace(/\.0$/, '')} %`;
const topCodes = (byCode: Record<string, number>): string =>
  Object.entries(byCode).sort(([, a], [, b]) => b - a).slice(0, 4).map(([c, n]) => `${c} ${n}`).join(', ');

/**
 * The verdict on a finished run. An unreachable site wins (exit 6, an outage
 * to look at); then the failure rate against its threshold (exit 1); then,
 * for explicit inputs, every input rejected (exit 1).
 */
export function runVerdict(v: VerdictInput): Verdict {
  const failed = v.sitesFailed ?? [];
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((f) => f.code))].join('/');
    const n = failed.length;
    return { code: EXIT.SITE_FAILED, why: `${codes}: ${n} site${n > 1 ? 's' : ''} could not be reached: ${failed.map((f) => f.site).join(', ')}` };
  }
  if (v.failureRate > v.maxFailureRate) {
    return { code: EXIT.RUN_FAILED, why: `RUN_FAILED: failure rate ${pct(v.failureRate)} passed run.maxFailureRate ${pct(v.maxFailureRate)} (${topCodes(v.rejectsByCode)})` };
  }
  if (v.explicitInputs && v.counts.articles === 0 && v.counts.rejects > 0) {
    return { code: EXIT.RUN_FAILED, why: `RUN_FAILED: every input was rejected (${topCodes(v.rejectsByCode)})` };
  }
  return { code: EXIT.OK, why: null };
}

/** The exit status alone (see runVerdict). */
export function runExit(counts: { articles: number; rejects: number }, failureRate: number, maxFailureRate: number, explicitInputs: boolean): number {
  return runVerdict({ counts, rejectsByCode: {}, failureRate, maxFailureRate, explicitInputs }).code;
}

export interface ExtractOptions {
  output?: string;
  outputDir?: string;
  gzip?: boolean;
  rejects?: string;
  baseUrl?: string;
  /** extract only, for web archives: which records to take (the others are skipped unread). */
  urlPattern?: string;
  host?: string[];
  since?: string;
  until?: string;
  /** Language subtags, comma-separated (`ar,fa`). */
  lang?: string;
  /** extract only: clean on this many worker threads (1, the default, and 0: in the main thread). */
  threads?: number;
  config?: string;
  logLevel?: string;
  logFormat?: string;
  quiet?: boolean;
  maxFailureRate?: number;
  minTextChars?: number;
  rulesDir?: string;
  fold?: boolean;
}

export type CommonOptions = Omit<ExtractOptions, 'baseUrl' | 'threads'>;

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

/** `--state`: a postgres:// URL sets state.url; a path sets state.path and drops a URL set by a lower layer (the flag wins). */
export const stateFlag = (value: string): Record<string, unknown> => (isPostgresUrl(value) ? { url: value } : { path: value, url: undefined });

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
    .addOption(new Option('--max-failure-rate <rate>', 'exit 1 when more than this share of inputs failed (default 0.5)').argParser(asFlag(parseRate)));
}
