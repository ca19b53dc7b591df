/**
 * `--max-articles` and a site's `max_articles` across workers: the run's
 * article counts live in Redis. A job whose site (or run) is full is not
 * fetched; an article is kept only if it takes one of the places left, in
 * one atomic step (a Lua script), so parallel workers cannot overshoot.
 */
import type { Redis } from 'ioredis';
import { runKey } from './redis.js';

/** KEYS: the run's count, the site's count. ARGV: run limit, site limit (-1: none). 1 when a place was taken. */
const TAKE_PLACE = `
local run, site = tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0')
local runMax, siteMax = tonumber(ARGV[1]), tonumber(ARGV[2])
if (runMax >= 0 and run >= runMax) or (siteMax >= 0 and site >= siteMax) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('INCR', KEYS[2])
return 1
`;

export interface SharedLimits {
  /** The run or this site has all its articles: do not fetch. */
  full(site: string | null, siteMax: number | null): Promise<boolean>;
  /** Take a place for one more article: false when none is left (the article is dropped, counted skipped). */
  take(site: string | null, siteMax: number | null): Promise<boolean>;
}

export function sharedLimits(redis: Redis, runId: string, runMax: number | null): SharedLimits {
  const keys = (site: string | null): [string, string] => [runKey(runId, 'articles'), runKey(runId, `articles:${site ?? ''}`)];
  const unlimited = (siteMax: number | null): boolean => runMax === null && siteMax === null;
  return {
    async full(site, siteMax) {
      if (unlimited(siteMax)) return false;
      const [run, own] = (await redis.mget(...keys(site))).map((v) => Number(v ?? 0));
      return (runMax !== null && run! >= runMax) || (siteMax !== null && own! >= siteMax);
    },
    async take(site, siteMax) {
      if (unlimited(siteMax)) return true;
      return Number(await redis.eval(TAKE_PLACE, 2, ...keys(site), runMax ?? -1, siteMax ?? -1)) === 1;
    },
  };
}
