/**
 * What the command files share (src/cli.ts, cli-fetch.ts, cli-state.ts):
 * exit codes, option types, the flags-to-config layer and argument parsers
 * (each bad value is a USAGE error).
 */
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

export const EXIT = { OK: 0, ALL_FAILED: 1, USAGE: 2 } as const;

export interface ExtractOptions {
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

export type CommonOptions = Omit<ExtractOptions, 'baseUrl'>;

/** CLI flags as the top config layer. */
export function flagLayer(opts: CommonOptions & { allowPrivateNetworks?: boolean }): Record<string, unknown> {
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
