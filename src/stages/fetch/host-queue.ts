/**
 * Politeness scheduler: a global cap on requests in flight, and per host a cap
 * on requests in flight plus a minimum interval between request starts. The
 * interval grows on 429/503 (throttle) and shrinks back on success (recover).
 *
 * Every request to a host (robots.txt, feed, sitemap, page, each retry) is
 * one task here, so the interval holds at the server start to start. A task
 * waits for its turn OUTSIDE the global cap: a global slot is given, when one
 * frees, to the host whose next start is due earliest (Scrapy's downloader
 * slots, Heritrix's per-host queues), never held by a task sleeping on its
 * host's delay or a retry back-off.
 */
import { NewscleanError } from '../../shared/errors.js';
import { hostKey } from '../../shared/url.js';
import { type HostState, type Waiter, applyCrawlDelay, applyHostSettings, atCapacity, hostTurn, markSentAt, markStarted, newHostState, nextWaiter, readyAtOf, recoverHost, throttleHost } from './host-state.js';
import { type KeepAlive, type WakeTimer, abortableSleep, createKeepAlive, createWakeTimer } from './host-timers.js';

export interface HostQueueOptions {
  /** global, requests in flight across all hosts */
  concurrency: number;
  /** per host: in flight, and min time between request STARTS */
  perHost: { concurrency: number; delayMs: number };
  /** cap for slow-down growth */
  maxDelayMs: number;
  now?: () => number;
  /** Injectable wait (tests); the default is an unref'd, cancellable timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunOptions {
  /** Once aborted, a task that has not started yet fails with INTERRUPTED instead of starting (a graceful stop). */
  signal?: AbortSignal | undefined;
  /** No start before this time (ms, the queue's clock): a retry's back-off, waited without a global slot. */
  notBefore?: number | undefined;
  /** The task calls sent() once its request has reached the server; until then (with an interval) the host's next turn waits. */
  awaitSent?: boolean | undefined;
}

export interface HostQueue {
  /**
   * Run `task` as one request to the URL's host, when that host's turn comes and a global slot is free.
   * The task may call `sent()` once its request has surely reached the server (http.ts: when the
   * answer begins): the host's next start is then counted from there, so connection set-up and
   * lag cannot eat into the delay the server sees.
   */
  run<T>(url: string, task: (sent: () => void) => Promise<T>, opts?: AbortSignal | RunOptions): Promise<T>;
  /**
   * A redirect hop inside a running task: wait for the target host's turn (the
   * caller keeps its global slot: hops are rare and short), count a start there,
   * and return that host's `sent()`. An abort while waiting rejects with INTERRUPTED.
   */
  hop(url: string, signal?: AbortSignal): Promise<() => void>;
  /** robots.txt Crawl-delay: the host's interval becomes max(its delayMs, ms). */
  setCrawlDelay(host: string, ms: number): void;
  /** A site's own per_host settings for one of its hosts (only the keys given; the rest stay as configured). */
  configureHost(host: string, settings: { concurrency?: number | undefined; delayMs?: number | undefined }): void;
  /** 429/503 seen: double the host's current interval (at least its base, at most maxDelayMs); with retryAfterMs, no new start on that host before now + retryAfterMs. */
  throttle(host: string, retryAfterMs: number | null): void;
  /** A success: the host's interval steps back (halves) towards its base (max of its delayMs and crawl delay). */
  recover(host: string): void;
  intervalFor(host: string): number;
  /**
   * When a task given now could start on this host: +Infinity while a task of
   * the host already waits or the host is at its in-flight cap (the frontier
   * takes a job for a host only when this is <= now).
   */
  readyAt(host: string): number;
  onIdle(): Promise<void>;
  /** tasks queued or running */
  size(): number;
}

export { MIN_THROTTLE_MS } from './host-state.js';

/**
 * The queue's shared state, read and changed by the functions below (the
 * scheduling step and task bookkeeping) and by the methods createHostQueue returns.
 */
interface QueueCore {
  opts: HostQueueOptions;
  now: () => number;
  // Host states are kept for the whole run (hosts are few). If runs ever span many
  // thousands of hosts, drop states with nothing waiting or in flight whose interval
  // is back at base once now > lastStart + interval.
  hosts: Map<string, HostState>;
  /** hosts with tasks waiting: the only ones dispatch() looks at */
  backlog: Set<HostState>;
  /** tasks running, across all hosts (the global cap applies to this) */
  inFlight: number;
  /** tasks queued or running */
  pending: number;
  idleWaiters: Array<() => void>;
  wake: WakeTimer;
  // The wake-up timer is unref'd (a stopped run must not wait out a Retry-After);
  // while tasks are pending this ref'd handle keeps the process alive for them.
  keepAlive: KeepAlive;
}

const interrupted = (): NewscleanError => new NewscleanError('INTERRUPTED', 'stopped before the request started', { attempts: 0 });

const optionsOf = (opts: AbortSignal | RunOptions | undefined): RunOptions =>
  opts === undefined ? {} : 'aborted' in opts && 'addEventListener' in opts ? { signal: opts as AbortSignal } : (opts as RunOptions);


export function createHostQueue(opts: HostQueueOptions): HostQueue {
  const core = createCore(opts);
  return {
    async run<T>(url: string, task: (sent: () => void) => Promise<T>, runOpts?: AbortSignal | RunOptions): Promise<T> {
      const h = stateFor(core, hostKey(url));
      if (core.pending++ === 0) core.keepAlive.hold();
      try {
        return await enqueue(core, h, task, optionsOf(runOpts));
      } finally {
        settle(core);
      }
    },
    hop: (url, signal) => hop(core, url, signal),
    setCrawlDelay: (host, ms) => applyCrawlDelay(stateFor(core, host), ms),
    configureHost(host, settings) {
      applyHostSettings(stateFor(core, host), settings);
      dispatch(core);
    },
    throttle: (host, retryAfterMs) => throttleHost(stateFor(core, host), retryAfterMs, core.now, opts.maxDelayMs),
    recover(host) {
      recoverHost(stateFor(core, host));
      dispatch(core);
    },
    intervalFor: (host) => core.hosts.get(host.toLowerCase())?.interval ?? opts.perHost.delayMs,
    readyAt(host) {
      const h = core.hosts.get(host.toLowerCase());
      return h ? readyAtOf(h) : Number.NEGATIVE_INFINITY;
    },
    onIdle: () => (core.pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => core.idleWaiters.push(resolve))),
    size: () => core.pending,
  };
}

function createCore(opts: HostQueueOptions): QueueCore {
  const core: QueueCore = {
    opts,
    now: opts.now ?? Date.now,
    hosts: new Map(),
    backlog: new Set(),
    inFlight: 0,
    pending: 0,
    idleWaiters: [],
    wake: createWakeTimer(() => dispatch(core), opts.sleep),
    keepAlive: createKeepAlive(),
  };
  return core;
}

function stateFor(core: QueueCore, host: string): HostState {
  const key = host.toLowerCase();
  let state = core.hosts.get(key);
  if (!state) {
    state = newHostState(key, core.opts.perHost);
    core.hosts.set(key, state);
  }
  return state;
}

/**
 * The scheduling step. Input: hosts with waiting tasks, their turns and caps,
 * the free global slots, the clock. Output: tasks started, and a wake-up set
 * for the earliest turn still in the future.
 */
function dispatch(core: QueueCore): void {
  while (core.inFlight < core.opts.concurrency) {
    const t = core.now();
    const best = earliestDue(core.backlog);
    if (!best) return;
    if (best.at > t) return core.wake.at(best.at - t, best.at);
    startWaiter(core, best.h, best.w, t);
  }
}

/** The host (and its waiter) whose next start is due earliest; ties go to the host that started least recently, so no host is starved by another that is always due. */
function earliestDue(backlog: Set<HostState>): { h: HostState; w: Waiter; at: number } | null {
  let best: { h: HostState; w: Waiter; at: number } | null = null;
  for (const h of backlog) {
    if (atCapacity(h)) continue;
    const w = nextWaiter(h)!;
    const at = Math.max(hostTurn(h), w.notBefore);
    if (!best || at < best.at || (at === best.at && h.lastStart < best.h.lastStart)) best = { h, w, at };
  }
  return best;
}

function startWaiter(core: QueueCore, h: HostState, w: Waiter, t: number): void {
  removeWaiter(core, h, w);
  markStarted(h, t, w.awaitSent);
  core.inFlight++;
  w.start();
}

/** Take a waiter off its host (and the host off the backlog when none is left); false when it was not waiting. */
function removeWaiter(core: QueueCore, h: HostState, w: Waiter): boolean {
  const i = h.waiting.indexOf(w);
  if (i < 0) return false;
  h.waiting.splice(i, 1);
  if (h.waiting.length === 0) core.backlog.delete(h);
  return true;
}

function finished(core: QueueCore, h: HostState, wasSent: boolean): void {
  h.inFlight--;
  if (!wasSent) h.unsent--; // a task that never said: its start stays the dispatch time
  core.inFlight--;
  dispatch(core);
}

function settle(core: QueueCore): void {
  core.pending -= 1;
  if (core.pending > 0) return;
  core.keepAlive.release();
  const waiters = core.idleWaiters;
  core.idleWaiters = [];
  for (const resolve of waiters) resolve();
}

/** Queue `task` on host `h`; it starts when dispatch() gives it a turn, or fails with INTERRUPTED if aborted first. */
function enqueue<T>(core: QueueCore, h: HostState, task: (sent: () => void) => Promise<T>, run: RunOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal } = run;
    if (signal?.aborted) return reject(interrupted());
    const onAbort = (): void => {
      if (removeWaiter(core, h, waiter)) reject(interrupted());
    };
    const waiter: Waiter = {
      notBefore: run.notBefore ?? Number.NEGATIVE_INFINITY,
      awaitSent: run.awaitSent === true,
      start: () => {
        signal?.removeEventListener('abort', onAbort);
        startTask(core, h, task, waiter.awaitSent, resolve, reject);
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    h.waiting.push(waiter);
    core.backlog.add(h);
    dispatch(core);
  });
}

/** Run a dispatched task with its sent() callback; settle the caller's promise, then free the slots. */
function startTask<T>(core: QueueCore, h: HostState, task: (sent: () => void) => Promise<T>, awaitSent: boolean, resolve: (value: T) => void, reject: (reason: unknown) => void): void {
  let running: Promise<T>;
  let wasSent = !awaitSent;
  const sent = (): void => {
    markSentAt(h, core.now());
    if (!wasSent) h.unsent--;
    wasSent = true;
    dispatch(core);
  };
  try {
    running = task(sent);
  } catch (err) {
    running = Promise.reject(err);
  }
  running.then(resolve, reject).finally(() => finished(core, h, wasSent));
}

/** HostQueue.hop: wait (keeping the caller's global slot) for the target host's turn, count a start, return its sent(). */
async function hop(core: QueueCore, url: string, signal: AbortSignal | undefined): Promise<() => void> {
  const h = stateFor(core, hostKey(url));
  for (let wait = hostTurn(h) - core.now(); wait > 0; wait = hostTurn(h) - core.now()) {
    if (signal?.aborted) throw interrupted();
    await abortableSleep(wait, signal, core.opts.sleep);
  }
  if (signal?.aborted) throw interrupted();
  h.lastStart = core.now();
  return () => markSentAt(h, core.now());
}
