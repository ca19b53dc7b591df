/**
 * Politeness scheduler: a global cap on requests in flight, and per host a cap
 * on requests in flight plus a minimum interval between request starts. The
 * interval grows on 429/503 (throttle) and shrinks back on success (recover).
 */
import PQueue from 'p-queue';
import { NewscleanError } from '../../errors.js';

export interface HostQueueOptions {
  /** global, requests in flight across all hosts */
  concurrency: number;
  /** per host: in flight, and min time between request STARTS */
  perHost: { concurrency: number; delayMs: number };
  /** cap for slow-down growth */
  maxDelayMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HostQueue {
  /** Once `signal` is aborted, a task that has not started yet fails with INTERRUPTED instead of starting (a graceful stop). */
  run<T>(url: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** robots.txt Crawl-delay: the host's interval becomes max(perHost.delayMs, ms). */
  setCrawlDelay(host: string, ms: number): void;
  /** 429/503 seen: double the host's current interval (at least perHost.delayMs, at most maxDelayMs); with retryAfterMs, no new start on that host before now + retryAfterMs. */
  throttle(host: string, retryAfterMs: number | null): void;
  /** A success: the host's interval steps back (halves) towards its base (max of perHost.delayMs and crawl delay). */
  recover(host: string): void;
  intervalFor(host: string): number;
  onIdle(): Promise<void>;
  /** tasks queued or running */
  size(): number;
}

/** First throttle step when the interval is 0 (perHost.delayMs 0): doubling 0 would never slow down. */
export const MIN_THROTTLE_MS = 1000;

interface HostState {
  queue: PQueue;
  /** max(perHost.delayMs, crawl delay): where recover() stops */
  base: number;
  interval: number;
  lastStart: number;
  /** Retry-After: no start before this */
  blockedUntil: number;
}

/** Host key: lowercased hostname, with the port when it is not the scheme's default. */
export function hostKey(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NewscleanError('INVALID_URL', `Not an absolute URL: ${url}`);
  }
  // URL.host is already lowercased and drops default ports.
  return parsed.host;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Result of one attempt to start inside a global slot. */
type Attempt<T> = { started: true; value: T } | { started: false };

export function createHostQueue(opts: HostQueueOptions): HostQueue {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const global = new PQueue({ concurrency: opts.concurrency });
  // Host states are kept for the whole run (hosts are few; an idle PQueue is tiny).
  // If runs ever span many thousands of hosts, drop states whose queue is idle and
  // whose interval is back at base once now > lastStart + interval.
  const hosts = new Map<string, HostState>();
  let pending = 0;
  let idleWaiters: Array<() => void> = [];

  const stateFor = (host: string): HostState => {
    const key = host.toLowerCase();
    let state = hosts.get(key);
    if (!state) {
      const base = opts.perHost.delayMs;
      state = {
        queue: new PQueue({ concurrency: opts.perHost.concurrency }),
        base,
        interval: base,
        lastStart: Number.NEGATIVE_INFINITY,
        blockedUntil: Number.NEGATIVE_INFINITY,
      };
      hosts.set(key, state);
    }
    return state;
  };

  // Computed from lastStart (not a stored nextStart) so interval changes apply at once.
  const earliestStart = (h: HostState): number => Math.max(h.lastStart + h.interval, h.blockedUntil);

  const interrupted = (): NewscleanError => new NewscleanError('INTERRUPTED', 'stopped before the request started', { attempts: 0 });

  /** A politeness wait (up to a Crawl-delay) must not hold up a graceful stop. */
  const sleepUnlessAborted = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (!signal) return sleep(ms);
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      void sleep(ms).then(done);
    });
  };

  const waitForTurn = async (h: HostState, signal?: AbortSignal): Promise<void> => {
    // Loop: throttle() may push the time further while we sleep.
    for (let wait = earliestStart(h) - now(); wait > 0; wait = earliestStart(h) - now()) {
      if (signal?.aborted) throw interrupted();
      await sleepUnlessAborted(wait, signal);
    }
  };

  /** Take a global slot and start, unless another start on this host slipped in meanwhile. */
  const tryStart = <T>(h: HostState, task: () => Promise<T>, signal?: AbortSignal): Promise<Attempt<T>> =>
    global.add(
      async (): Promise<Attempt<T>> => {
        if (signal?.aborted) throw interrupted();
        const t = now();
        // With perHost.concurrency > 1 two tasks can wake for the same turn; the check and
        // the lastStart update happen in one synchronous step, so only one of them starts.
        if (t < earliestStart(h)) return { started: false };
        h.lastStart = t;
        return { started: true, value: await task() };
      },
      { throwOnTimeout: true },
    );

  const runInHostSlot = async <T>(h: HostState, task: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    for (;;) {
      if (signal?.aborted) throw interrupted();
      await waitForTurn(h, signal);
      const attempt = await tryStart(h, task, signal);
      if (attempt.started) return attempt.value;
    }
  };

  const settle = (): void => {
    pending -= 1;
    if (pending > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  return {
    async run<T>(url: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      const h = stateFor(hostKey(url));
      pending += 1;
      try {
        return await h.queue.add(() => runInHostSlot(h, task, signal), { throwOnTimeout: true });
      } finally {
        settle();
      }
    },

    setCrawlDelay(host, ms) {
      const h = stateFor(host);
      h.base = Math.max(opts.perHost.delayMs, ms);
      // Keep a larger throttled interval; recover() brings it down to the new base.
      h.interval = Math.max(h.interval, h.base);
    },

    throttle(host, retryAfterMs) {
      const h = stateFor(host);
      const doubled = Math.max(h.interval * 2, h.base, MIN_THROTTLE_MS);
      // The cap never undercuts the host's own base (a Crawl-delay above maxDelayMs stays honoured).
      h.interval = Math.max(h.base, Math.min(doubled, opts.maxDelayMs));
      if (retryAfterMs !== null && retryAfterMs > 0) {
        h.blockedUntil = Math.max(h.blockedUntil, now() + retryAfterMs);
      }
    },

    recover(host) {
      const h = stateFor(host);
      h.interval = Math.max(h.base, Math.floor(h.interval / 2));
    },

    intervalFor: (host) => hosts.get(host.toLowerCase())?.interval ?? opts.perHost.delayMs,

    onIdle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),

    size: () => pending,
  };
}
