/**
 * Page jobs: one URL of a run to fetch, clean and export, on the BullMQ
 * queue. A URL is taken once per run, by canonical key, across all workers
 * (a Redis set per run, checked before the job is added); the job id is
 * derived from the run and the key, so BullMQ keeps one job per URL even if
 * two workers add it at once. Each run counts its jobs added and finished,
 * which is how the coordinator knows the run is over.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FrontierEntry, ListedDate } from '../crawl/index.js';
import { runKey } from './redis.js';

export interface PageJobData {
  runId: string;
  key: string;
  url: string;
  depth: number;
  site: string | null;
  validators?: { etag: string | null; lastModified: string | null } | undefined;
  listedDate?: ListedDate | undefined;
}

/** BullMQ ids may not hold ':'; the key's hash keeps them short. */
export const pageJobId = (runId: string, key: string): string => `${runId}-${createHash('sha1').update(key).digest('hex')}`;

/** Attempts per job: a worker that dies holding it (stalled) or a fault of the state store (thrown) gives it back. */
const ATTEMPTS = 5;

/** Add the entries this run has not taken yet; returns how many were new. */
export async function addPageJobs(queue: Queue, redis: Redis, runId: string, jobs: Array<Omit<PageJobData, 'runId'>>): Promise<number> {
  if (jobs.length === 0) return 0;
  const seen = runKey(runId, 'seen');
  const fresh: PageJobData[] = [];
  for (const j of jobs) if ((await redis.sadd(seen, j.key)) === 1) fresh.push({ ...j, runId });
  if (fresh.length === 0) return 0;
  await redis.hincrby(runKey(runId, 'jobs'), 'added', fresh.length);
  await queue.addBulk(
    fresh.map((data) => ({
      name: 'page',
      data,
      opts: { jobId: pageJobId(runId, data.key), attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 },
    })),
  );
  return fresh.length;
}

/** A URL the run took in (discovery, the gate) but that needs no job: counted as seen so workers' links skip it. */
export async function markSeen(redis: Redis, runId: string, keys: string[]): Promise<void> {
  if (keys.length > 0) await redis.sadd(runKey(runId, 'seen'), ...keys);
}

export const asEntry = (d: PageJobData): FrontierEntry => ({ key: d.key, url: d.url, depth: d.depth, site: d.site });
