/**
 * Connections to the queue's Redis: one URL (`redis://[USER:PASSWORD@]HOST:PORT[/DB]`,
 * or `rediss://` for TLS), shown only with its password masked. BullMQ's
 * workers need `maxRetriesPerRequest: null` (a command waits for a reconnect
 * instead of failing), and ioredis reconnects by itself when Redis restarts.
 */
import { Redis } from 'ioredis';
import { redactUrl } from '../shared/redact.js';

export const isRedisUrl = (url: string): boolean => /^rediss?:\/\//i.test(url);

export { redactUrl };

/** A new connection; `name` shows in Redis's CLIENT LIST. */
export function connectRedis(url: string, name: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: name, retryStrategy: (times) => Math.min(times * 200, 2000) });
  // Errors while reconnecting are retried by ioredis; the commands waiting on them fail or go on, not the process.
  redis.on('error', () => undefined);
  return redis;
}

/** Keys of one run in Redis, all under `newsclean:run:<id>:`. */
export const runKey = (runId: string, part: string): string => `newsclean:run:${runId}:${part}`;

/** The BullMQ queue every newsclean worker takes page jobs from. */
export const PAGE_QUEUE = 'newsclean-pages';

/** Close a connection: QUIT when it is up (pending replies first), else just drop it (QUIT would wait for a reconnect). */
export const closeRedis = async (redis: Redis): Promise<void> => {
  if (redis.status === 'ready') await redis.quit().catch(() => undefined);
  else redis.disconnect();
};
