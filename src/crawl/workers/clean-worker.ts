/**
 * Worker thread body for the clean pool (src/crawl/clean-pool.ts): decode, clean,
 * normalize and build the record for one fetched page. The rule files are
 * loaded once per thread, from the config the pool was started with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/schema.js';
import type { ListedDate } from '../../shared/types.js';
import { type PageOutcome, type PipelineContext, createContext, processPage } from '../../stages/pipeline.js';
import { WORKER_READY } from './messages.js';

export interface CleanTask {
  source: string;
  url: string | null;
  /** Transferred, not copied. */
  bytes: Uint8Array;
  contentType: string | null;
  listed?: ListedDate | undefined;
  fetchedAt?: string | null;
  collectLinks: boolean;
  /** Fetch time (ms since epoch): no article date may be later. */
  now: number;
}

// Built when the thread starts, not on its first page: the rule files and the
// language model load while the crawl is still reading robots.txt and sitemaps.
// A failure (a broken rule file) is kept and thrown by each task as its coded
// error: thrown here, it would kill the thread and crash the pool.
let ctx: PipelineContext | undefined;
let loadError: unknown;
try {
  ctx = createContext((workerData as { config: Config }).config);
} catch (err) {
  loadError = err;
}
parentPort?.postMessage(WORKER_READY);

export default function cleanTask(task: CleanTask): PageOutcome {
  if (!ctx) throw loadError;
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  return processPage({ source: task.source, url: task.url, bytes, contentType: task.contentType, listed: task.listed, fetchedAt: task.fetchedAt ?? null }, ctx, {
    now: new Date(task.now),
    collectLinks: task.collectLinks,
  });
}
