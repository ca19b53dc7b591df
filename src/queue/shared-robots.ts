/**
 * robots.txt once per host per run for all workers: the first worker to need
 * a host's robots.txt fetches it (holding a short lock) and leaves the answer
 * in Redis for the run; the others wait for it and read it. If the fetching
 * worker dies, its lock expires and another fetches.
 */
import type { Redis } from 'ioredis';
import { runKey } from './redis.js';

export type RobotsAnswer = { status: number; body: string };
export type FetchRobots = (robotsUrl: string) => Promise<RobotsAnswer>;

const LOCK_MS = 30_000;
/** Kept as long as a run may reasonably last; a new run fetches again. */
const KEEP_S = 7 * 24 * 3600;

export function sharedRobots(redis: Redis, runId: string, agent: string): (robotsUrl: string, fetch: FetchRobots) => Promise<RobotsAnswer> {
  return async (robotsUrl, fetch) => {
    const key = runKey(runId, `robots:${agent}:${robotsUrl}`);
    for (;;) {
      const cached = await redis.get(key);
      if (cached !== null) return JSON.parse(cached) as RobotsAnswer;
      if ((await redis.set(`${key}:lock`, '1', 'PX', LOCK_MS, 'NX')) === 'OK') {
        try {
          const answer = await fetch(robotsUrl);
          await redis.set(key, JSON.stringify(answer), 'EX', KEEP_S);
          return answer;
        } finally {
          await redis.del(`${key}:lock`);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
}
