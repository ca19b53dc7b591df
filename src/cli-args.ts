/** Argument parsers shared by the commands (src/cli.ts, src/cli-state.ts). Each bad value is a USAGE error. */
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
