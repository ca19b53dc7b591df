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

/** First throttle step when the interval is 0 (perHost.delayMs 0): doubling 0 would never slow down. */
export const MIN_THROTTLE_MS = 1000;

interface Waiter {
  start: () => void;
  notBefore: number;
  awaitSent: boolean;
}

interface HostState {
  key: string;
  /** per-host in-flight cap */
  limit: number;
  inFlight: number;
  /** started and not yet known to have reached the server (sent() not called): the next turn waits for them */
  unsent: number;
  /** configured delay (site or default) */
  delayMs: number;
  /** robots.txt Crawl-delay, 0 when none */
  crawlDelayMs: number;
  /** max(delayMs, crawlDelayMs): where recover() stops */
  base: number;
  interval: number;
  lastStart: number;
  /** Retry-After: no start before this */
  blockedUntil: number;
  /** tasks not started yet, in arrival order */
  waiting: Waiter[];
}

/** Host key (host[:port]): src/shared/url.ts. Re-exported for the importers of this file until they import it from there. */
export { hostKey };

const interrupted = (): NewscleanError => new NewscleanError('INTERRUPTED', 'stopped before the request started', { attempts: 0 });

const optionsOf = (opts: AbortSignal | RunOptions | undefined): RunOptions =>
  opts === undefined ? {} : 'aborted' in opts && 'addEventListener' in opts ? { signal: opts as AbortSignal } : (opts as RunOptions);

export function createHostQueue(opts: HostQueueOptions): HostQueue {
  const now = opts.now ?? Date.now;
  // Host states are kept for the whole run (hosts are few). If runs ever span many
  // thousands of hosts, drop states with nothing waiting or in flight whose interval
  // is back at base once now > lastStart + interval.
  const hosts = new Map<string, HostState>();
  /** hosts with tasks waiting: the only ones dispatch() looks at */
  const backlog = new Set<HostState>();
  let inFlight = 0;
  let pending = 0;
  let idleWaiters: Array<() => void> = [];
  const wake = createWakeTimer(() => dispatch(), opts.sleep);

  const stateFor = (host: string): HostState => {
    const key = host.toLowerCase();
    let state = hosts.get(key);
    if (!state) {
      const base = opts.perHost.delayMs;
      state = { key, limit: opts.perHost.concurrency, inFlight: 0, unsent: 0, delayMs: base, crawlDelayMs: 0, base, interval: base, lastStart: Number.NEGATIVE_INFINITY, blockedUntil: Number.NEGATIVE_INFINITY, waiting: [] };
      hosts.set(key, state);
    }
    return state;
  };

  // Computed from lastStart (not a stored nextStart) so interval changes apply at once.
  const hostTurn = (h: HostState): number => Math.max(h.lastStart + h.interval, h.blockedUntil);
  /**
   * With an interval, a host whose last request is not known to have reached
   * the server has no next turn yet: its start is counted from sent() (a new
   * connection may take long to get there, and the server's clock is the one
   * that counts).
   */
  const inTransit = (h: HostState): boolean => h.unsent > 0 && h.interval > 0;
  /** The waiter a host would start next: the one whose own back-off ends first (arrival order on ties). */
  const nextWaiter = (h: HostState): Waiter | undefined =>
    h.waiting.reduce<Waiter | undefined>((best, w) => (best === undefined || w.notBefore < best.notBefore ? w : best), undefined);

  /**
   * The scheduling step. Input: hosts with waiting tasks, their turns and caps,
   * the free global slots, the clock. Output: tasks started, and a wake-up set
   * for the earliest turn still in the future. Ties go to the host that started
   * least recently, so no host is starved by another that is always due.
   */
  function dispatch(): void {
    while (inFlight < opts.concurrency) {
      const t = now();
      let best: { h: HostState; w: Waiter; at: number } | null = null;
      for (const h of backlog) {
        if (h.inFlight >= h.limit || inTransit(h)) continue;
        const w = nextWaiter(h)!;
        const at = Math.max(hostTurn(h), w.notBefore);
        if (!best || at < best.at || (at === best.at && h.lastStart < best.h.lastStart)) best = { h, w, at };
      }
      if (!best) return;
      if (best.at > t) return wake.at(best.at - t, best.at);
      const { h, w } = best;
      h.waiting.splice(h.waiting.indexOf(w), 1);
      if (h.waiting.length === 0) backlog.delete(h);
      h.lastStart = t;
      h.inFlight++;
      if (w.awaitSent) h.unsent++;
      inFlight++;
      w.start();
    }
  }

  const finished = (h: HostState, wasSent: boolean): void => {
    h.inFlight--;
    if (!wasSent) h.unsent--; // a task that never said: its start stays the dispatch time
    inFlight--;
    dispatch();
  };

  const settle = (): void => {
    pending -= 1;
    if (pending > 0) return;
    keepAlive.release();
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  // The wake-up timer is unref'd (a stopped run must not wait out a Retry-After);
  // while tasks are pending this ref'd handle keeps the process alive for them.
  const keepAlive = createKeepAlive();

  const enqueue = <T>(h: HostState, task: (sent: () => void) => Promise<T>, run: RunOptions): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const { signal } = run;
      if (signal?.aborted) return reject(interrupted());
      const onAbort = (): void => {
        const i = h.waiting.indexOf(waiter);
        if (i < 0) return;
        h.waiting.splice(i, 1);
        if (h.waiting.length === 0) backlog.delete(h);
        reject(interrupted());
      };
      const waiter: Waiter = {
        notBefore: run.notBefore ?? Number.NEGATIVE_INFINITY,
        awaitSent: run.awaitSent === true,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          let running: Promise<T>;
          let wasSent = !waiter.awaitSent;
          const sent = (): void => {
            h.lastStart = Math.max(h.lastStart, now());
            if (!wasSent) h.unsent--;
            wasSent = true;
            dispatch();
          };
          try {
            running = task(sent);
          } catch (err) {
            running = Promise.reject(err);
          }
          running.then(resolve, reject).finally(() => finished(h, wasSent));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      h.waiting.push(waiter);
      backlog.add(h);
      dispatch();
    });

  return {
    async run<T>(url: string, task: (sent: () => void) => Promise<T>, runOpts?: AbortSignal | RunOptions): Promise<T> {
      const h = stateFor(hostKey(url));
      if (pending++ === 0) keepAlive.hold();
      try {
        return await enqueue(h, task, optionsOf(runOpts));
      } finally {
        settle();
      }
    },

    async hop(url, signal) {
      const h = stateFor(hostKey(url));
      for (let wait = hostTurn(h) - now(); wait > 0; wait = hostTurn(h) - now()) {
        if (signal?.aborted) throw interrupted();
        await abortableSleep(wait, signal, opts.sleep);
      }
      if (signal?.aborted) throw interrupted();
      h.lastStart = now();
      return () => {
        h.lastStart = Math.max(h.lastStart, now());
      };
    },

    setCrawlDelay(host, ms) {
      const h = stateFor(host);
      h.crawlDelayMs = ms;
      h.base = Math.max(h.delayMs, ms);
      // Keep a larger throttled interval; recover() brings it down to the new base.
      h.interval = Math.max(h.interval, h.base);
    },

    configureHost(host, settings) {
      const h = stateFor(host);
      if (settings.concurrency !== undefined) h.limit = settings.concurrency;
      if (settings.delayMs !== undefined && settings.delayMs !== h.delayMs) {
        const throttled = h.interval > h.base;
        h.delayMs = settings.delayMs;
        h.base = Math.max(h.delayMs, h.crawlDelayMs);
        h.interval = throttled ? Math.max(h.interval, h.base) : h.base;
      }
      dispatch();
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
      dispatch();
    },

    intervalFor: (host) => hosts.get(host.toLowerCase())?.interval ?? opts.perHost.delayMs,

    readyAt(host) {
      const h = hosts.get(host.toLowerCase());
      if (!h) return Number.NEGATIVE_INFINITY;
      if (h.waiting.length > 0 || h.inFlight >= h.limit || inTransit(h)) return Number.POSITIVE_INFINITY;
      return hostTurn(h);
    },

    onIdle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),

    size: () => pending,
  };
}

/** Resolves after `ms`, or at once on abort; the default timer is unref'd and cleared on abort. */
function abortableSleep(ms: number, signal: AbortSignal | undefined, sleep?: (ms: number) => Promise<void>): Promise<void> {
  if (sleep) return sleep(ms);
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** One pending wake-up at a time: the earliest asked for wins; unref'd so it never holds the process open by itself. */
function createWakeTimer(onWake: () => void, sleep?: (ms: number) => Promise<void>) {
  let timer: NodeJS.Timeout | null = null;
  let due = Number.POSITIVE_INFINITY;
  return {
    at(ms: number, when: number): void {
      if (sleep) {
        // Injected clocks cannot be cancelled: each wake-up just runs dispatch again.
        void sleep(ms).then(onWake);
        return;
      }
      if (timer && due <= when) return;
      if (timer) clearTimeout(timer);
      due = when;
      timer = setTimeout(() => {
        timer = null;
        due = Number.POSITIVE_INFINITY;
        onWake();
      }, ms);
      timer.unref();
    },
  };
}

/** A ref'd handle held while tasks are pending, so unref'd politeness timers cannot let a running crawl exit early. */
function createKeepAlive() {
  let handle: NodeJS.Timeout | null = null;
  return {
    hold(): void {
      handle ??= setInterval(() => undefined, 1 << 30);
    },
    release(): void {
      if (handle) clearInterval(handle);
      handle = null;
    },
  };
}
