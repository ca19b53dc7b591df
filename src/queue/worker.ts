/**
 * `newsclean worker`: take page jobs from the queue until told to stop. Each
 * job is one URL of some queued run (page-work.ts); the run's description,
 * shared politeness, ledger and this worker's part files are set up on its
 * first job (run-context.ts). SIGTERM/SIGINT: no new job is taken, the jobs
 * in hand finish and are written, then the worker exits 0. A worker killed
 * outright loses nothing: BullMQ sees its jobs stall and gives them to
 * another worker; the state's exported marker keeps an article from being
 * exported twice.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Config } from '../config/schema.js';
import { createCleanPool } from '../crawl/deps.js';
import { NewscleanError, toNewscleanError } from '../shared/errors.js';
import { type Logger, silentLogger } from '../shared/log.js';
import { openStore, storeLocation } from '../state/open.js';
import { type PageJobData, finishJob } from './page-jobs.js';
import { workPage } from './page-work.js';
import { PAGE_QUEUE, closeRedis, connectRedis, redactUrl } from './redis.js';
import { type RunContext, type WorkerContext, openRunContext } from './run-context.js';
import { type RunContexts, runContexts } from './run-contexts.js';

export interface WorkerOptions {
  queueUrl: string;
  config: Config;
  outputDir: string;
  /** Page jobs in hand at once. */
  concurrency: number;
  /** Clean worker threads (0: the main thread). */
  threads: number;
  log: Logger;
  /** Aborted by SIGTERM/SIGINT: finish what is in hand, then return. */
  signal: AbortSignal;
}

/** A name no other worker process has: host, pid and a random tail (part files are named after it). */
export const workerName = (): string => `${hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** Fails fast with QUEUE_UNAVAILABLE when Redis does not answer. */
export async function reachable(ctx: { redis: WorkerContext['redis'] }, url: string): Promise<void> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref());
  try {
    await Promise.race([ctx.redis.ping(), timeout]);
  } catch (err) {
    throw new NewscleanError('QUEUE_UNAVAILABLE', `queue ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
}

export async function runWorker(o: WorkerOptions): Promise<{ jobs: number }> {
  const store = openStore(storeLocation(o.config.state));
  const redis = connectRedis(o.queueUrl, 'newsclean-worker');
  const closers: Array<() => Promise<unknown> | unknown> = [() => store.close(), () => closeRedis(redis)];
  try {
    await reachable({ redis }, o.queueUrl);
    const queue = new Queue(PAGE_QUEUE, { connection: redis });
    const pool = createCleanPool(o.config, o.threads, silentLogger);
    closers.unshift(() => pool.close(), () => queue.close());
    const w: WorkerContext = { config: o.config, store, redis, queue, pool, worker: workerName(), outputDir: o.outputDir, log: o.log };
    return await takeJobs(o, w, closers);
  } finally {
    for (const close of closers) await close();
  }
}

async function takeJobs(o: WorkerOptions, w: WorkerContext, closers: Array<() => unknown>): Promise<{ jobs: number }> {
  const runs = runContexts((runId) => openRunContext(w, runId));
  closers.unshift(() => runs.closeAll());
  let jobs = 0;
  let fatal: NewscleanError | null = null;
  const connection = connectRedis(o.queueUrl, 'newsclean-worker-jobs');
  const bull = new Worker<PageJobData>(
    PAGE_QUEUE,
    async (job, token) => {
      try {
        await runs.use(job.data.runId, async (run) => {
          if (await putOff(job, run, token)) throw new DelayedError();
          // Started before (deferrals aside): a worker died holding it (BullMQ moved it back as stalled), or its last try failed.
          await workPage(job.data, run, w, job.attemptsStarted - (job.data.deferred ?? 0) > 1);
        });
        jobs++;
      } catch (err) {
        if (err instanceof DelayedError) throw err;
        const e = toNewscleanError(err, 'EXTRACT_FAILED');
        // An output this worker cannot write: it stops taking jobs (the job goes back to the queue for another worker).
        if (e.code === 'OUTPUT_FAILED' && !fatal) (fatal = e), void bull.close();
        throw e;
      }
    },
    { connection, concurrency: o.concurrency, lockDuration: o.config.queue.lockMs, stalledInterval: Math.max(1000, Math.round(o.config.queue.lockMs / 2)), maxStalledCount: 5 },
  );
  closers.unshift(() => closeRedis(connection));
  bull.on('failed', (job, err) => void onFailed(job, err, w, runs));
  bull.on('error', (err) => w.log.warn({ stage: 'queue', err: err.message }, 'queue connection error (retrying)'));
  const stop = (): void => void bull.close();
  if (o.signal.aborted) stop();
  else o.signal.addEventListener('abort', stop, { once: true });
  await bull.waitUntilReady();
  closers.unshift(startHealthBeacon(bull, w));
  w.log.info({ stage: 'queue', worker: w.worker, queue: redactUrl(o.queueUrl), concurrency: o.concurrency }, 'worker taking jobs');
  await new Promise<void>((resolve) => bull.once('closed', () => resolve()));
  if (fatal) throw fatal;
  return { jobs };
}

/** Put off longer than this, a job goes back to the queue and the worker takes another; shorter, it waits its turn. */
const PUT_OFF_MS = 40;

/**
 * A job whose host is busy (at its in-flight cap, or its next start not due)
 * goes back to the queue until the host is free, and the worker takes a job
 * of another host meanwhile: otherwise workers would all wait on one host
 * while the queue holds pages of others (jobs arrive host by host).
 */
async function putOff(job: Job<PageJobData>, run: RunContext, token: string | undefined): Promise<boolean> {
  const wait = await run.hostWait(job.data.url);
  if (wait <= PUT_OFF_MS) return false;
  await job.updateData({ ...job.data, deferred: (job.data.deferred ?? 0) + 1 });
  await job.moveToDelayed(Date.now() + wait, token);
  return true;
}

/** A job that failed its last attempt: a reject line with its code in this worker's part, counted; the job counted finished. */
async function onFailed(job: Job<PageJobData> | undefined, err: Error, w: WorkerContext, runs: RunContexts): Promise<void> {
  if (!job) return;
  const code = (err as Partial<NewscleanError>).code ?? 'EXTRACT_FAILED';
  w.log.warn({ stage: 'queue', url: job.data.url, code, attempt: job.attemptsMade }, `page job failed: ${err.message}`);
  if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
  try {
    await runs.use(job.data.runId, async (run) => {
      await run.parts.rejects.write({ source: job.data.url, url: job.data.url, code, message: err.message });
      run.tally.counts.rejects++;
      run.tally.rejectsByCode[code] = (run.tally.rejectsByCode[code] ?? 0) + 1;
      await run.jobFinished(job.data.key);
    });
  } catch {
    // Its part or Redis failed: the reject is in the log above; the job still counts finished, so the run can end.
    await finishJob(w.redis, job.data.runId, job.data.key).catch(() => undefined);
  }
}

/** Where a worker says it is alive (touched every 10 s while it takes jobs): the container healthcheck reads its age. */
export const HEALTH_FILE = join(tmpdir(), 'newsclean-worker.alive');

function startHealthBeacon(bull: Worker, w: WorkerContext): () => void {
  const beat = (): void => {
    if (bull.isRunning() && w.redis.status === 'ready') writeFile(HEALTH_FILE, `${Date.now()}\n`).catch(() => undefined);
  };
  beat();
  const timer = setInterval(beat, 10_000);
  timer.unref();
  return () => clearInterval(timer);
}
