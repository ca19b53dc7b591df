/**
 * Structured logs on stderr (stdout may carry JSONL records). Stages log
 * through child loggers carrying `stage` and `source`/`url`.
 */
import { pino, destination, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { name: 'newsclean' } }, destination({ fd: 2, sync: true }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
