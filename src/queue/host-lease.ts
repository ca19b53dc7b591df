/**
 * Politeness across workers: a host's request starts are spaced by its
 * interval and its requests in flight capped, at the server, whatever the
 * number of workers. Each worker keeps its own host queue (stages/fetch
 * host-queue.ts: throttling, Crawl-delay, global slots); before a request
 * starts it also takes the host's turn in Redis: one Lua script, atomic, on
 * Redis's clock (workers' clocks may differ), with the in-flight holders in a
 * sorted set that expires them if a worker dies holding one. BullMQ's own
 * group rate limits are a BullMQ Pro feature, hence this lease.
 */
import type { Redis } from 'ioredis';
import type { HostQueue } from '../stages/fetch/index.js';
import { hostKey } from '../shared/url.js';
import { runKey } from './redis.js';

/**
 * KEYS: the host's holders (zset: member → expiry ms), the host's next start (ms).
 * ARGV: in-flight cap, interval ms, holder lease ms, member.
 * Returns 0 when taken, else how many ms to wait before asking again.
 */
const TAKE_TURN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(5, math.min(50, tonumber(first[2]) - now))
end
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextStart then return nextStart - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
-- Until the request is sent (SENT below), no other start: its interval counts from there.
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3])) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
return 0
`;

/**
 * KEYS as TAKE_TURN's; ARGV: in-flight cap, interval ms. How many ms until the
 * host has a turn free (0: now), taking nothing; at most the interval (a
 * request not yet sent holds the next start open, not for its whole lease).
 */
const PEEK_TURN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 50 end
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextStart then return math.min(nextStart - now, math.max(tonumber(ARGV[2]), 50)) end
return 0
`;

/** KEYS: the host's next start. ARGV: interval ms. The request reached the server now: the next start is an interval from now. */
const SENT = `
if tonumber(ARGV[1]) <= 0 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], now + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + 1000)
return 0
`;

export interface Turn {
  /** The request reached the server: the host's next start is `interval` from now (as the local queue counts from `sent()`). */
  sent(): Promise<void>;
  /** The request ended: its in-flight slot freed (and its interval counted from now if it was never sent). */
  release(): Promise<void>;
}

export interface HostLease {
  /** Wait for the host's turn across all workers. */
  take(url: string, interval: number, cap: number, signal?: AbortSignal): Promise<Turn>;
  /** How long until the host has a turn free (0: now), without taking it: a worker puts off a job whose host is busy and takes another. */
  peek(url: string, interval: number, cap: number): Promise<number>;
}

/** `leaseMs`: how long a slot is held at most (a dead worker's slot frees itself after this). */
export function createHostLease(redis: Redis, runId: string, worker: string, leaseMs = 120_000): HostLease {
  let n = 0;
  const keysOf = (url: string): string[] => {
    const host = hostKey(url);
    return [runKey(runId, `host:${host}:inflight`), runKey(runId, `host:${host}:next`)];
  };
  return {
    peek: async (url, interval, cap) => Number(await redis.eval(PEEK_TURN, 2, ...keysOf(url), cap, interval)),
    async take(url, interval, cap, signal) {
      const keys = keysOf(url);
      const member = `${worker}:${++n}`;
      for (;;) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        const wait = Number(await redis.eval(TAKE_TURN, 2, ...keys, cap, interval, leaseMs, member));
        if (wait === 0) return turnOf(redis, keys, member, interval);
        // A turn held open by a request not yet sent ends when it is sent: look again soon, not at the hold's end.
        await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(interval, 20), 1000)));
      }
    },
  };
}

function turnOf(redis: Redis, keys: string[], member: string, interval: number): Turn {
  let sent: Promise<void> | null = null;
  const markSent = (): Promise<void> => (sent ??= redis.eval(SENT, 1, keys[1]!, interval).then(() => undefined, () => undefined));
  return {
    sent: markSent,
    async release() {
      await markSent();
      await redis.zrem(keys[0]!, member).catch(() => undefined);
    },
  };
}

/**
 * The worker's host queue with the shared turn taken inside each request's
 * local turn: `cap(host)` is the host's in-flight limit (config or the site's
 * per_host), the interval the local queue's current one (Crawl-delay and
 * throttling included).
 */
export function sharedHostQueue(local: HostQueue, lease: HostLease, cap: (host: string) => number): HostQueue {
  return {
    ...local,
    run: (url, task, opts) =>
      local.run(url, async (sent) => {
        const host = hostKey(url);
        const turn = await lease.take(url, local.intervalFor(host), cap(host), signalOf(opts));
        try {
          return await task(() => (sent(), void turn.sent()));
        } finally {
          void turn.release();
        }
      }, opts),
    async hop(url, signal) {
      const sent = await local.hop(url, signal);
      const host = hostKey(url);
      const turn = await lease.take(url, local.intervalFor(host), cap(host), signal); // a redirect hop is a start at its host
      return () => (sent(), void turn.release());
    },
  };
}

const signalOf = (opts: Parameters<HostQueue['run']>[2]): AbortSignal | undefined => (opts instanceof AbortSignal ? opts : opts?.signal);
