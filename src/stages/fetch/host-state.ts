/**
 * One host's politeness state for host-queue.ts: its caps, its interval
 * (configured delay, robots.txt Crawl-delay, throttling on 429/503 and
 * recovery), Retry-After, and the tasks of the host waiting for their turn.
 * Plain data and small functions over it; the queue decides when to start.
 */

/** First throttle step when the interval is 0 (perHost.delayMs 0): doubling 0 would never slow down. */
export const MIN_THROTTLE_MS = 1000;

export interface Waiter {
  start: () => void;
  notBefore: number;
  awaitSent: boolean;
}

export interface HostState {
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

export function newHostState(key: string, perHost: { concurrency: number; delayMs: number }): HostState {
  const base = perHost.delayMs;
  return { key, limit: perHost.concurrency, inFlight: 0, unsent: 0, delayMs: base, crawlDelayMs: 0, base, interval: base, lastStart: Number.NEGATIVE_INFINITY, blockedUntil: Number.NEGATIVE_INFINITY, waiting: [] };
}

/** When the host's next start is due: computed from lastStart (not a stored nextStart) so interval changes apply at once. */
export const hostTurn = (h: HostState): number => Math.max(h.lastStart + h.interval, h.blockedUntil);

/**
 * With an interval, a host whose last request is not known to have reached
 * the server has no next turn yet: its start is counted from sent() (a new
 * connection may take long to get there, and the server's clock is the one
 * that counts).
 */
export const inTransit = (h: HostState): boolean => h.unsent > 0 && h.interval > 0;

/** The waiter a host would start next: the one whose own back-off ends first (arrival order on ties). */
export const nextWaiter = (h: HostState): Waiter | undefined =>
  h.waiting.reduce<Waiter | undefined>((best, w) => (best === undefined || w.notBefore < best.notBefore ? w : best), undefined);

/** The host can start nothing now whatever the clock says: at its in-flight cap, or its last start not yet sent. */
export const atCapacity = (h: HostState): boolean => h.inFlight >= h.limit || inTransit(h);

/** See HostQueue.readyAt: +Infinity while a task of the host waits or it is at capacity, else its turn. */
export const readyAtOf = (h: HostState): number => (h.waiting.length > 0 || atCapacity(h) ? Number.POSITIVE_INFINITY : hostTurn(h));

/** Count a start at `t`; a start that waits for sent() holds the host's next turn until then. */
export function markStarted(h: HostState, t: number, awaitSent: boolean): void {
  h.lastStart = t;
  h.inFlight++;
  if (awaitSent) h.unsent++;
}

/** The request reached the server at `t`: the next turn counts from there (never earlier than a later start). */
export function markSentAt(h: HostState, t: number): void {
  h.lastStart = Math.max(h.lastStart, t);
}

/** robots.txt Crawl-delay: the base becomes max(delayMs, ms); a larger throttled interval is kept (recover() brings it down). */
export function applyCrawlDelay(h: HostState, ms: number): void {
  h.crawlDelayMs = ms;
  h.base = Math.max(h.delayMs, ms);
  h.interval = Math.max(h.interval, h.base);
}

/** A site's own per_host settings (only the keys given). */
export function applyHostSettings(h: HostState, settings: { concurrency?: number | undefined; delayMs?: number | undefined }): void {
  if (settings.concurrency !== undefined) h.limit = settings.concurrency;
  if (settings.delayMs !== undefined && settings.delayMs !== h.delayMs) {
    const throttled = h.interval > h.base;
    h.delayMs = settings.delayMs;
    h.base = Math.max(h.delayMs, h.crawlDelayMs);
    h.interval = throttled ? Math.max(h.interval, h.base) : h.base;
  }
}

/** 429/503: double the interval (at least base and MIN_THROTTLE_MS, capped at maxDelayMs but never below base); Retry-After blocks until now() + retryAfterMs. */
export function throttleHost(h: HostState, retryAfterMs: number | null, now: () => number, maxDelayMs: number): void {
  const doubled = Math.max(h.interval * 2, h.base, MIN_THROTTLE_MS);
  // The cap never undercuts the host's own base (a Crawl-delay above maxDelayMs stays honoured).
  h.interval = Math.max(h.base, Math.min(doubled, maxDelayMs));
  if (retryAfterMs !== null && retryAfterMs > 0) {
    h.blockedUntil = Math.max(h.blockedUntil, now() + retryAfterMs);
  }
}

/** A success: the interval halves back towards base. */
export function recoverHost(h: HostState): void {
  h.interval = Math.max(h.base, Math.floor(h.interval / 2));
}
