/**
 * What a queued run's workers need to know about it, published by the
 * coordinator in Redis before the first job: the plan's sites (their follow
 * rules, per-host settings, user agents), when it started (its output folder
 * is named after that day), what it was asked (refresh, force,
 * conditional requests) and its fetch settings. Workers read it once per run and keep it.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { SiteSource } from '../config/sources.js';
import { NewscleanError } from '../shared/errors.js';
import { runKey } from './redis.js';

export interface RunMeta {
  runId: string;
  command: 'crawl' | 'scrape' | 'recrawl';
  startedAt: string;
  sites: SiteSource[];
  refresh: boolean;
  force: boolean;
  conditional: boolean;
  /** --max-articles of the run (null: none); each site's own `max_articles` is in `sites`. */
  maxArticles: number | null;
  /** The coordinator's fetch settings (politeness, user agent, robots.txt, retries, limits: the sources file's `defaults:` included); every worker fetches the run's pages with them. */
  fetch: Config['fetch'];
}

/** Kept for a month: a run's jobs may wait that long in a paused queue. */
const KEEP_S = 30 * 24 * 3600;

export async function publishRunMeta(redis: Redis, meta: RunMeta): Promise<void> {
  await redis.set(runKey(meta.runId, 'meta'), JSON.stringify(meta), 'EX', KEEP_S);
}

export async function readRunMeta(redis: Redis, runId: string): Promise<RunMeta> {
  const raw = await redis.get(runKey(runId, 'meta'));
  if (raw === null) throw new NewscleanError('QUEUE_UNAVAILABLE', `run ${runId} has no description in the queue's Redis (expired, or the queue was flushed)`);
  return JSON.parse(raw) as RunMeta;
}

/** The folder of a queued run's output under `outputDir`: `<day>/<run-id>/`, one part file per worker. */
export const runFolder = (outputDir: string, meta: Pick<RunMeta, 'runId' | 'startedAt'>): string => `${outputDir}/${meta.startedAt.slice(0, 10)}/${meta.runId}`;
