/**
 * Worker thread body for the clean pool (src/clean-pool.ts): decode, clean,
 * normalize and build the record for one fetched page. The rule files are
 * loaded once per thread, from the config the pool was started with.
 */
import { workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { type Outcome, type PipelineContext, createContext, processPage } from '../pipeline.js';

export interface CleanTask {
  source: string;
  url: string | null;
  /** Transferred, not copied. */
  bytes: Uint8Array;
  contentType: string | null;
  collectLinks: boolean;
  /** Fetch time (ms since epoch): no article date may be later. */
  now: number;
}

let ctx: PipelineContext | undefined;

export default function cleanTask(task: CleanTask): Outcome {
  ctx ??= createContext((workerData as { config: Config }).config);
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  return processPage({ source: task.source, url: task.url, bytes, contentType: task.contentType }, ctx, {
    now: new Date(task.now),
    collectLinks: task.collectLinks,
  });
}
