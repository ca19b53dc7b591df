/**
 * Page jobs: one URL of a run to fetch, clean and export, on the BullMQ
 * queue. A URL is taken once per run, by canonical key, across all workers
 * (a Redis set per run, checked before the job is added); the job id is
 * derived from the run and the key, so BullMQ keeps one job per URL even if
 * two workers add it at once. Each run keeps the keys it queued and the keys
 * whose job finished (sets: a job run twice counts once), which is how the
 * coordinator knows the run is over.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FrontierEntry, ListedDate } from '../crawl/index.js';
import { hostKey } from '../shared/url.js';
import { runKey } from './redis.js';

export interface PageJobData {
  runId: string;
  key: string;
  url: string;
  depth: number;
  site: string | null;
  validators?: { etag: string | null; lastModified: string | null } | undefined;
  listedDate?: ListedDate | undefined;
  /** Times the job was put off because its host was busy (each one a start BullMQ counts). */
  deferred?: number;
  /** Its place among its host's jobs in the run (1, 2, …): the queue's priority, so hosts take turns. */
  turn?: number;
}

/** BullMQ ids may not hold ':'; the key's hash keeps them short. */
export const pageJobId = (runId: string, key: string): string => `${runId}-${createHash('sha1').update(key).digest('hex')}`;

/** Attempts per job: a worker that dies holding it (stalled) or a fault of the state store (thrown) gives it back. */
const ATTEMPTS = 5;

/**
 * KEYS: the run's seen, queued, job-data and per-host count keys. ARGV:
 * triples of (key, host, job JSON). A key not seen before is marked seen and
 * queued, its job kept (so a lost job can be added again, see `requeueLost`),
 * and given its host's next turn; returns (index, turn) pairs of the new ones.
 */
const TAKE_NEW = `
local fresh = {}
for i = 1, #ARGV, 3 do
  if redis.call('SADD', KEYS[1], ARGV[i]) == 1 then
    redis.call('SADD', KEYS[2], ARGV[i])
    redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 2])
    fresh[#fresh + 1] = (i + 2) / 3
    fresh[#fresh + 1] = redis.call('HINCRBY', KEYS[4], ARGV[i + 1], 1)
  end
end
return fresh
`;

const jobKeys = (runId: string): string[] => [runKey(runId, 'seen'), runKey(runId, 'queued'), runKey(runId, 'job-data'), runKey(runId, 'host-turns')];

/** BullMQ's highest priority number. */
const MAX_PRIORITY = 2_097_152;

const bulk = (jobs: PageJobData[]) =>
  jobs.map((data) => ({
    name: 'page',
    data,
    opts: {
      jobId: pageJobId(data.runId, data.key), attempts: ATTEMPTS, backoff: { type: 'exponential' as const, delay: 1000 }, removeOnComplete: true, removeOnFail: 1000,
      // Lower first: every host's first page, then every host's second…, across all batches and runs.
      priority: Math.min(data.turn ?? 1, MAX_PRIORITY),
    },
  }));

/** Round robin over hosts, each host's jobs in their order (within a batch; across batches the priority does it). */
export function interleaveHosts<J extends { url: string }>(jobs: J[]): J[] {
  const byHost = new Map<string, J[]>();
  for (const j of jobs) {
    const host = hostKey(j.url);
    const list = byHost.get(host);
    if (list) list.push(j);
    else byHost.set(host, [j]);
  }
  const lists = [...byHost.values()];
  const out: J[] = [];
  for (let i = 0; out.length < jobs.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** Add the entries this run has not taken yet (one atomic step in Redis, then the jobs, hosts interleaved); returns how many were new. */
export async function addPageJobs(queue: Queue, redis: Redis, runId: string, jobs: Array<Omit<PageJobData, 'runId'>>): Promise<number> {
  if (jobs.length === 0) return 0;
  const all = interleaveHosts(jobs).map((j) => ({ ...j, runId }));
  const fresh = (await redis.eval(TAKE_NEW, 4, ...jobKeys(runId), ...all.flatMap((j) => [j.key, hostKey(j.url), JSON.stringify(j)]))) as number[];
  if (fresh.length === 0) return 0;
  const added: PageJobData[] = [];
  for (let i = 0; i < fresh.length; i += 2) added.push({ ...all[fresh[i]! - 1]!, turn: fresh[i + 1]! });
  await queue.addBulk(bulk(added));
  return added.length;
}

/** A job of the run is done (or given up): counted once, however often it ran. */
export const finishJob = (redis: Redis, runId: string, key: string) => redis.sadd(runKey(runId, 'finished'), key);

/** Jobs queued and finished so far. */
export async function jobProgress(redis: Redis, runId: string): Promise<{ queued: number; finished: number }> {
  const [queued, finished] = await Promise.all([redis.scard(runKey(runId, 'queued')), redis.scard(runKey(runId, 'finished'))]);
  return { queued, finished };
}

/**
 * Queued but never finished, and no longer on the queue: a worker killed
 * between taking a URL in and adding its job. Added again (their job data was kept).
 */
export async function requeueLost(queue: Queue, redis: Redis, runId: string): Promise<number> {
  const missing = await redis.sdiff(runKey(runId, 'queued'), runKey(runId, 'finished'));
  const lost: PageJobData[] = [];
  for (const key of missing) {
    if (await queue.getJob(pageJobId(runId, key))) continue;
    const data = await redis.hget(runKey(runId, 'job-data'), key);
    if (data) lost.push(JSON.parse(data) as PageJobData);
  }
  if (lost.length > 0) await queue.addBulk(bulk(lost));
  return lost.length;
}

/** A URL the run took in (discovery, the gate) but that needs no job: counted as seen so workers' links skip it. */
export async function markSeen(redis: Redis, runId: string, keys: string[]): Promise<void> {
  if (keys.length > 0) await redis.sadd(runKey(runId, 'seen'), ...keys);
}

export const asEntry = (d: PageJobData): FrontierEntry => ({ key: d.key, url: d.url, depth: d.depth, site: d.site });
