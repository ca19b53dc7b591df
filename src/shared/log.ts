/**
 * Structured logs on stderr (stdout may carry JSONL records). Stages log
 * through child loggers carrying `stage` and `source`/`url`; runs add
 * `run_id` and `site`, failures their `code`.
 *
 * Machines get one JSON object per line; people at a terminal get pino-pretty
 * text. On a terminal with a live progress display, lines go through the
 * display (`sink`) so they print above it instead of through it.
 */
import { pino, destination, type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggerOptions {
  level: string;
  format?: LogFormat;
  /** --quiet: warnings and errors only. */
  quiet?: boolean;
  /** Where lines go (a Writable: pino-pretty pipes into it); default stderr. */
  sink?: NodeJS.WritableStream;
  /** Whether stderr is a terminal (decides `auto`); default process.stderr.isTTY. */
  isTTY?: boolean;
}

/**
 * pino-pretty is loaded when a logger first needs it: worker threads and
 * JSON runs never do, and it costs ~30 ms of every thread's start-up.
 */
const loadPretty = (): ((opts: PrettyOptions) => PrettyStream) => createRequire(import.meta.url)('pino-pretty') as (opts: PrettyOptions) => PrettyStream;

/** --quiet keeps what someone must see: a level above warn stays as it is. */
const quietLevel = (level: string): string => (['error', 'fatal', 'silent'].includes(level) ? level : 'warn');

export function createLogger(opts: LoggerOptions | string): Logger {
  const o: LoggerOptions = typeof opts === 'string' ? { level: opts } : opts;
  const level = o.quiet ? quietLevel(o.level) : o.level;
  const tty = o.isTTY ?? process.stderr.isTTY === true;
  const pretty = o.format === 'pretty' || (o.format === 'auto' && tty);
  const sink: DestinationStream = (o.sink as DestinationStream | undefined) ?? destination({ fd: 2, sync: true });
  const stream = pretty
    ? loadPretty()({ destination: sink, sync: true, colorize: tty, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss' })
    : sink;
  return pino({ level, base: { name: 'newsclean' } }, stream);
}

export const silentLogger: Logger = pino({ level: 'silent' });
