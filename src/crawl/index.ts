/**
 * Crawl and scrape: discovery (feeds, sitemaps, links) → polite fetch →
 * clean/normalize on the worker pool → outcomes. Every URL taken in ends as
 * an article or a coded reject; nothing a server sends can crash the run.
 *
 * The frontier is breadth-first per host: start URLs, feed and sitemap items,
 * then the links of fetched pages up to each site's follow depth; a free job
 * slot goes to the host whose next request may start earliest
 * (crawl-frontier.ts). URLs are compared in canonical form, so a URL is
 * fetched at most once per run.
 */
import { setMaxListeners } from 'node:events';
import type { Config } from '../config/schema.js';
import type { SiteSource } from '../config/sources.js';
import { NewscleanError, toNewscleanError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { Outcome } from '../pipeline.js';
import type { CleanPool } from './clean-pool.js';
import type { Expect, Fetcher, FetchResponse } from '../stages/fetch/http.js';
import { type HostQueue, hostKey } from '../stages/fetch/host-queue.js';
import { createFrontier } from './frontier.js';
import type { RobotsCache } from '../stages/fetch/robots.js';
import { decodeHtml } from '../stages/fetch/decode.js';
import { parseFeedChecked } from '../stages/fetch/discover/feeds.js';
import { readSitemapBytes } from '../stages/fetch/discover/sitemaps.js';
import { type FollowRules, compileFollowRules, isSince, shouldFollow } from '../stages/fetch/discover/follow.js';
import { type UrlRules, canonicalizeUrl } from '../stages/normalize/canonical-url.js';
import { type SiteFailure, createSiteHealth } from './site-health.js';

export interface CrawlPlan {
  /** Sites to discover from (crawl). */
  sites: SiteSource[];
  /** Given URLs, fetched as they are with no discovery (scrape). */
  urls: string[];
  maxArticles: number | null;
  /** Feed and sitemap items dated before this are skipped. */
  since: Date | null;
  /** A killed run taken up again: its frontier items not yet done, and the URL keys it already settled. */
  resume?: { pending: FrontierEntry[]; done: Iterable<string> };
}

/** One frontier entry as the state store keeps it (src/state/store.ts). */
export interface FrontierEntry { key: string; url: string; depth: number; site: string | null }

/**
 * What the state store says about a URL before it is fetched (src/run-ledger.ts):
 * skip it (already exported, given up, or waiting for its retry time), or
 * fetch it, with validators for a conditional GET when it was seen before.
 */
export type Admission = { fetch: false; reason: 'known' | 'deferred' } | { fetch: true; validators?: { etag: string | null; lastModified: string | null } };
export interface CrawlGate {
  /** `seed`: a start URL or a URL given to scrape, always worth a visit (hubs list new links). */
  admit(entry: FrontierEntry, seed: boolean): Admission;
  /** New frontier entries, to be kept for a resume. */
  enqueued(entries: FrontierEntry[]): void;
}

/** What the run's bookkeeping needs about the fetch behind an outcome. */
export interface PageMeta {
  key: string;
  url: string;
  site: string | null;
  depth: number;
  attempts: number;
  etag: string | null;
  lastModified: string | null;
  /** 304 to a conditional GET: nothing new (the outcome is a NOT_MODIFIED reject that is never exported). */
  notModified: boolean;
  /** Body bytes received (0 when the fetch failed). */
  bytes: number;
  /** From the request's start (politeness waits excluded) to the response body's end; 0 when the fetch failed. */
  fetchMs: number;
}

/** An outcome of a crawl; `page` is set for page URLs (not for feeds and sitemaps). */
export type CrawlOutcome = Outcome & { page?: PageMeta };

export interface CrawlDeps {
  config: Config;
  fetcher: Fetcher;
  hosts: HostQueue;
  robots: RobotsCache | null;
  /** The robots.txt cache for a site's user_agent (null: the default); preferred over `robots` when given. */
  robotsFor?: (userAgent: string | null, signal?: AbortSignal) => RobotsCache | null;
  pool: CleanPool;
  urlRules: UrlRules;
  log: Logger;
  now?: () => Date;
  /** Called once per page fetched, with the time from the start of its fetch to its outcome (benchmarks, stats). */
  onPageDone?: (url: string, fetchToOutcomeMs: number) => void;
  /** Incremental runs: the state store's say on each URL. Absent: every URL is fetched. */
  gate?: CrawlGate;
  /**
   * A graceful stop (SIGINT/SIGTERM): no new fetch starts, fetches in flight
   * finish and their pages are cleaned and emitted, then the outcomes end. URLs
   * not fetched stay in the frontier (gate.enqueued) for the next run to resume.
   */
  signal?: AbortSignal;
  /** Set by crawl() itself: cancels fetches in flight when the consumer stopped reading. */
  cancel?: AbortSignal;
}

/** Progress counters a caller may display. */
export interface CrawlStats {
  discovered: number;
  fetched: number;
  articles: number;
  rejects: number;
  /** Discovered but never fetched because --max-articles was reached. */
  skipped: number;
  /** Not fetched: exported or given up in an earlier run (the gate said 'known'). */
  known: number;
  /** Not fetched: failed in an earlier run and not yet due for a retry. */
  deferred: number;
  /** Feed and sitemap items dated before --since, not taken in. */
  tooOld: number;
  /** Feeds and sitemaps that were not well-formed XML, read only in part (a FEED_INVALID warning each). */
  discoveryWarnings: number;
  /** Response body bytes received: pages, feeds and sitemaps. */
  bytes: number;
  /** Per host (host[:port]): what was fetched from it and what came of it. */
  hosts: Record<string, HostStats>;
  /** Sites that could not be reached at all (every entry point failed): set when the outcomes end. */
  sitesFailed: SiteFailure[];
}

export interface HostStats { fetched: number; bytes: number; articles: number; rejects: number }

interface SiteState {
  source: SiteSource;
  follow: FollowRules;
  articles: number;
}

interface Job {
  url: string;
  /** host key (host[:port]); '(invalid)' for a URL that does not parse (refused when fetched) */
  host: string;
  key: string;
  depth: number;
  site: SiteState | null;
  validators?: { etag: string | null; lastModified: string | null } | undefined;
}

/** Child sitemaps read per site (a sitemap index can list thousands). */
const MAX_SITEMAPS_PER_SITE = 200;

/** Jobs in flight per fetch slot: enough to keep the fetch slots busy while pages are cleaned (jobs are taken only for hosts that are due). */
const JOBS_PER_SLOT = 2;

export function crawl(plan: CrawlPlan, deps: CrawlDeps): { outcomes: AsyncIterable<CrawlOutcome>; stats: CrawlStats } {
  const stats: CrawlStats = { discovered: 0, fetched: 0, articles: 0, rejects: 0, skipped: 0, known: 0, deferred: 0, tooOld: 0, bytes: 0, discoveryWarnings: 0, hosts: {}, sitesFailed: [] };
  return { outcomes: stoppable(plan, deps, stats), stats };
}

/**
 * The outcomes, stopped hard when the consumer quits before the end (an
 * output that failed, stdout closed): no new fetch starts and fetches in
 * flight are cancelled, so the process ends at once instead of crawling on
 * for nobody. The caller's own signal stays a graceful stop (see CrawlDeps).
 */
async function* stoppable(plan: CrawlPlan, deps: CrawlDeps, stats: CrawlStats): AsyncGenerator<CrawlOutcome> {
  const graceful = new AbortController();
  const hard = new AbortController();
  // Every request in flight and every politeness wait listens on these: many at once is the design, not a leak.
  setMaxListeners(0, graceful.signal, hard.signal);
  const onStop = (): void => graceful.abort(deps.signal?.reason);
  if (deps.signal?.aborted) onStop();
  else deps.signal?.addEventListener('abort', onStop, { once: true });
  let finished = false;
  try {
    yield* run(plan, { ...deps, signal: graceful.signal, cancel: hard.signal }, stats);
    finished = true;
  } finally {
    deps.signal?.removeEventListener('abort', onStop);
    if (!finished) {
      hard.abort();
      graceful.abort();
    }
  }
}

async function* run(plan: CrawlPlan, deps: CrawlDeps, stats: CrawlStats): AsyncGenerator<CrawlOutcome> {
  const now = deps.now ?? (() => new Date());
  // Outcomes waiting for the consumer: past two job-loads, no new job starts until it catches up.
  const channel = createChannel<CrawlOutcome>(deps.config.fetch.concurrency * JOBS_PER_SLOT * 2, () => pump());
  const seen = new Set<string>(plan.resume?.done ?? []);
  const resumed = new Set<string>([...seen, ...(plan.resume?.pending ?? []).map((p) => p.key)]);
  // Jobs wait per host; a free slot goes to the host due earliest (crawl-frontier.ts).
  const frontier = createFrontier<Job>();
  const limit = deps.config.fetch.concurrency * JOBS_PER_SLOT;
  // Once full, the frontier refills only after a fetch slot's worth of jobs has
  // finished, not one job per finished job. While the clean pool is the
  // bottleneck, one-by-one refills send requests singly, and crawler and server
  // each wake once per page; in bursts each handles many per wake (bench:crawl,
  // docs/benchmarks.md).
  const refillAt = limit - deps.config.fetch.concurrency;
  let refilling = true;
  let active = 0;
  let articles = 0;

  const aborted = (): boolean => deps.signal?.aborted === true;
  const hostStats = (url: string): HostStats => {
    let host: string;
    try {
      host = hostKey(url);
    } catch {
      host = '(invalid)';
    }
    return (stats.hosts[host] ??= { fetched: 0, bytes: 0, articles: 0, rejects: 0 });
  };
  const fetched = (url: string, bytes: number): void => {
    stats.bytes += bytes;
    const h = hostStats(url);
    h.fetched++;
    h.bytes += bytes;
  };
  const ignored = new Set(deps.config.run.ignoreCodes);
  const emit = (o: CrawlOutcome): void => {
    if (o.ok || o.page?.notModified) health.answered(o.page?.site ?? null);
    else health.rejected(o.page?.key ?? key(o.reject.url ?? o.reject.source), o.page?.site ?? null, o.reject.code, o.reject.message, ignored.has(o.reject.code));
    if (o.ok) {
      stats.articles++;
      hostStats(o.page?.url ?? o.record.url ?? o.record.source).articles++;
    } else if (!o.page?.notModified) {
      stats.rejects++;
      hostStats(o.reject.url ?? o.reject.source).rejects++;
    }
    channel.push(o);
  };
  const rejectUrl = (url: string, err: unknown, job?: Job): void => {
    const e = toNewscleanError(err, 'FETCH_FAILED');
    if (e.code === 'INTERRUPTED') return; // not fetched: the frontier keeps it for the next run
    deps.log.debug({ stage: 'fetch', url, site: job?.site?.source.name, code: e.code, attempts: e.attempts }, e.message);
    const page = job && pageMeta(job, { attempts: e.attempts ?? 0 });
    emit({ ok: false, reject: { source: url, url, code: e.code, message: e.message, ...(e.attempts !== undefined && { attempts: e.attempts }) }, ...(page && { page }) });
  };
  const key = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  const full = (site: SiteState | null): boolean =>
    (plan.maxArticles !== null && articles >= plan.maxArticles) ||
    (site?.source.maxArticles != null && site.articles >= site.source.maxArticles);

  const siteNamed = new Map<string, SiteState>();
  /** Take a URL into the frontier once; false when it was seen before. */
  const enqueue = (url: string, depth: number, site: SiteState | null, opts: { seed?: boolean; persisted?: boolean } = {}): boolean => {
    if (closed) return false; // discovery that outlived a stopped run: the next run discovers it again
    const k = key(url);
    if (seen.has(k)) return false;
    seen.add(k);
    stats.discovered++;
    const entry: FrontierEntry = { key: k, url, depth, site: site?.source.name ?? null };
    const admission = deps.gate?.admit(entry, opts.seed ?? false) ?? { fetch: true };
    if (!admission.fetch) {
      if (admission.reason === 'known') stats.known++;
      else stats.deferred++;
      return true;
    }
    if (!opts.persisted) deps.gate?.enqueued([entry]);
    frontier.push(hostOf(url), { url, host: hostOf(url), key: k, depth, site, validators: admission.validators });
    pump();
    return true;
  };

  const fetchPolitely = async (url: string, expect: Expect, site: SiteState | null, opts: GuardOptions = {}): Promise<FetchResponse> => {
    try {
      const res = await fetchGuarded(url, expect, deps, site?.source ?? null, opts);
      fetched(res.url, res.bytes.length);
      return res;
    } finally {
      pump(); // the host's request ended: it may be due again
    }
  };
  const pageMeta = (job: Job, res: { attempts: number; headers?: FetchResponse['headers']; status?: number; bytes?: Buffer }, fetchMs = 0): PageMeta => ({
    key: job.key,
    url: job.url,
    site: job.site?.source.name ?? null,
    depth: job.depth,
    attempts: res.attempts,
    etag: headerValue(res.headers?.etag),
    lastModified: headerValue(res.headers?.['last-modified']),
    notModified: res.status === 304,
    bytes: res.bytes?.length ?? 0,
    fetchMs,
  });

  const processJob = async (job: Job, release: () => void): Promise<void> => {
    if (full(job.site)) {
      stats.skipped++;
      return;
    }
    const started = performance.now();
    const done = (): void => deps.onPageDone?.(job.url, performance.now() - started);
    let res: FetchResponse;
    try {
      const headers = conditionalHeaders(job.validators);
      res = await fetchPolitely(job.url, 'html', job.site, { ...(headers && { headers }), onQueued: release });
    } catch (err) {
      rejectUrl(job.url, err, job);
      return;
    }
    stats.fetched++;
    const page = pageMeta(job, res, res.elapsedMs);
    if (page.notModified) {
      emit({ ok: false, reject: { source: job.url, url: job.url, code: 'NOT_MODIFIED', message: '304 Not Modified', attempts: res.attempts }, page });
      done();
      return;
    }
    const finalKey = key(res.url);
    if (finalKey !== key(job.url)) {
      if (seen.has(finalKey)) {
        emit({ ok: false, reject: { source: job.url, url: job.url, code: 'DUPLICATE_URL', message: `redirects to ${res.url}, already taken in this run`, attempts: res.attempts }, page });
        return;
      }
      seen.add(finalKey);
    }
    const follow = job.site !== null && job.depth < job.site.follow.maxDepth;
    const outcome = await deps.pool.process(
      { source: job.url, url: res.url, bytes: res.bytes, contentType: res.contentType },
      { collectLinks: follow, now: now() },
    );
    if (follow && outcome.links) {
      for (const link of outcome.links) if (shouldFollow(link, job.depth + 1, job.site!.follow, job.site!.source.hosts)) enqueue(link, job.depth + 1, job.site);
    }
    if (outcome.ok && full(job.site)) {
      stats.skipped++; // finished after the limit was reached by a parallel job
      return;
    }
    if (outcome.ok) {
      articles++;
      if (job.site) job.site.articles++;
      emit({ ok: true, record: outcome.record, page });
    } else {
      // Logged here, not by the pipeline (quiet in the pool): this logger carries the run and the site.
      const level = outcome.reject.code === 'EXTRACT_FAILED' ? 'error' : 'debug';
      deps.log[level]({ stage: 'clean', url: job.url, site: job.site?.source.name, code: outcome.reject.code }, outcome.reject.message);
      emit({ ok: false, reject: { ...outcome.reject, url: job.url, attempts: res.attempts }, page });
    }
    done();
  };

  let discovering = 0;
  let closed = false;
  // Ref'd (unlike the host queue's timers): it is what the run waits on when every host with jobs is still in its delay.
  let wake: { timer: NodeJS.Timeout; at: number } | null = null;
  const wakeAt = (at: number): void => {
    if (wake && wake.at <= at) return;
    if (wake) clearTimeout(wake.timer);
    wake = { at, timer: setTimeout(() => ((wake = null), pump()), Math.max(0, at - Date.now())) };
  };
  /** The outcomes end when nothing is in flight and nothing more will be taken (all done, or stopped). */
  const maybeClose = (): void => {
    if (closed || active > 0) return;
    if (aborted() || (frontier.size() === 0 && discovering === 0)) {
      closed = true;
      if (wake) clearTimeout(wake.timer);
      channel.close();
    }
  };
  deps.signal?.addEventListener('abort', () => maybeClose(), { once: true });
  const pump = (): void => {
    if (active <= refillAt) refilling = true;
    if (!refilling) return;
    while (active < limit && !aborted() && !closed && !channel.full()) {
      const next = frontier.take(Date.now(), deps.hosts.readyAt);
      if (next.job === null) {
        if (next.wakeAt !== null) wakeAt(next.wakeAt);
        break;
      }
      const job = next.job;
      let claimed = true;
      // The host may be taken again once this job's request is in the host queue (or never will be).
      const release = (): void => {
        if (!claimed) return;
        claimed = false;
        frontier.release(job.host);
        pump(); // the host may take its next job now (one host with several slots)
      };
      active++;
      processJob(job, release)
        .catch((err) => rejectUrl(job.url, toNewscleanError(err, 'EXTRACT_FAILED'), job))
        .finally(() => {
          release();
          active--;
          pump();
          maybeClose();
        });
    }
    if (active >= limit) refilling = false;
  };

  const discover = async (site: SiteState): Promise<void> => {
    const tasks = [
      ...site.source.feeds.map((f) => readFeed(f, site)),
      ...site.source.sitemaps.map((s) => readSitemaps(s, site)),
    ];
    for (const u of site.source.startUrls) enqueue(u, 0, site, { seed: true });
    await Promise.all(tasks);
  };

  const readFeed = async (feedUrl: string, site: SiteState): Promise<void> => {
    try {
      const res = await fetchPolitely(feedUrl, 'xml', site);
      const { items, problem } = parseFeedChecked(decodeHtml({ source: feedUrl, url: res.url, bytes: res.bytes, contentType: res.contentType }).html, res.url);
      for (const item of items) {
        if (isSince(item.published, plan.since)) enqueue(item.url, 1, site);
        else stats.tooOld++;
      }
      if (problem !== null) {
        stats.discoveryWarnings++;
        deps.log.warn({ stage: 'discover', site: site.source.name, url: feedUrl, code: 'FEED_INVALID', items: items.length }, `feed is not well-formed XML, ${items.length} items read: ${problem}`);
      }
    } catch (err) {
      rejectUrl(feedUrl, err);
    }
  };

  const readSitemaps = async (rootUrl: string, site: SiteState): Promise<void> => {
    const pending = [rootUrl];
    const done = new Set<string>();
    while (pending.length > 0 && done.size < MAX_SITEMAPS_PER_SITE && !aborted()) {
      const url = pending.shift()!;
      if (done.has(url)) continue;
      done.add(url);
      try {
        const res = await fetchPolitely(url, 'xml', site);
        // Streamed: entries are taken in as they are parsed, with no decoded copy of the body and no tree.
        const read = await readSitemapBytes(res.bytes, res.contentType, res.url, {
          url: (item) => {
            if (isSince(item.published, plan.since)) enqueue(item.url, 1, site);
            else stats.tooOld++;
          },
          sitemap: (child) => {
            if (isSince(child.lastmod, plan.since)) pending.push(child.url);
          },
        });
        if (read.problem !== null) {
          stats.discoveryWarnings++;
          const items = read.urls + read.sitemaps;
          deps.log.warn({ stage: 'discover', site: site.source.name, url, code: 'FEED_INVALID', items }, `sitemap is not well-formed XML, ${items} entries read: ${read.problem}`);
        }
      } catch (err) {
        rejectUrl(url, err);
      }
    }
  };

  const sites = plan.sites.map((source) => ({
    source,
    follow: compileFollowRules(source.follow, `site ${source.name}: follow`),
    articles: 0,
  }));
  for (const s of sites) siteNamed.set(s.source.name, s);
  const health = createSiteHealth(plan.sites, key);
  // A resumed run first finishes what it had taken in (already admitted and persisted).
  for (const p of plan.resume?.pending ?? []) {
    seen.delete(p.key);
    enqueue(p.url, p.depth, p.site === null ? null : siteNamed.get(p.site) ?? null, { seed: true, persisted: true });
  }
  // Seed the frontier; discovery runs alongside the page jobs it feeds.
  for (const url of plan.urls) {
    // A URL that is not http(s) is refused by robots.ts / http.ts as INVALID_URL, like any other.
    if (resumed.has(key(url))) continue; // settled or re-queued by the resume
    if (!enqueue(url, 0, null, { seed: true })) rejectUrl(url, new NewscleanError('DUPLICATE_URL', 'given twice (same canonical URL)'));
  }
  discovering = 1;
  // Each feed and sitemap catches its own failures; anything else here is a bug, logged, never an unhandled rejection.
  Promise.all(sites.map(discover))
    .catch((err: unknown) => deps.log.error({ stage: 'discover', code: 'EXTRACT_FAILED', err }, 'discovery failed unexpectedly'))
    .finally(() => {
      discovering = 0;
      maybeClose();
    });

  yield* channel.drain();
  stats.sitesFailed = aborted() ? [] : health.failures();
  for (const f of stats.sitesFailed) deps.log.error({ stage: 'fetch', site: f.site, code: f.code }, `site ${f.site} could not be reached: ${f.message}`);
}

const headerValue = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? v[0] ?? null : v ?? null);

/** If-None-Match / If-Modified-Since from what the last visit returned. */
function conditionalHeaders(v: Job['validators']): Record<string, string> | undefined {
  if (!v || (!v.etag && !v.lastModified)) return undefined;
  return { ...(v.etag && { 'if-none-match': v.etag }), ...(v.lastModified && { 'if-modified-since': v.lastModified }) };
}

const hostOf = (url: string): string => {
  try {
    return hostKey(url);
  } catch {
    return '(invalid)';
  }
};

interface GuardOptions {
  headers?: Record<string, string>;
  /** Called once the request is queued at its host (or refused before): the frontier's claim on the host ends. */
  onQueued?: () => void;
}

/**
 * robots.txt first (ROBOTS_DISALLOWED, Crawl-delay), then the fetch; every
 * attempt of it waits for its host's turn in deps.hosts (the fetcher's
 * schedule hook, crawl-deps.ts). A site's per_host and user_agent apply to
 * its hosts and requests (robots.txt included).
 */
async function fetchGuarded(url: string, expect: Expect, deps: CrawlDeps, site: SiteSource | null, opts: GuardOptions): Promise<FetchResponse> {
  try {
    const host = hostKey(url);
    if (deps.signal?.aborted) throw new NewscleanError('INTERRUPTED', 'stopped before the request started', { attempts: 0 });
    if (site?.perHost) deps.hosts.configureHost(host, site.perHost);
    const userAgent = site?.userAgent ?? null;
    const robots = deps.robotsFor ? deps.robotsFor(userAgent, deps.signal) : deps.robots;
    if (robots) {
      const verdict = await robots.check(url);
      // A stop during the robots.txt fetch: not fetched (its failed robots.txt is no verdict).
      if (deps.signal?.aborted) throw new NewscleanError('INTERRUPTED', 'stopped before the request started', { attempts: 0 });
      if (!verdict.allowed) throw new NewscleanError(verdict.code ?? 'ROBOTS_DISALLOWED', verdict.reason ?? `robots.txt disallows ${new URL(url).pathname}`, { attempts: 0 });
      if (verdict.crawlDelayMs !== null) deps.hosts.setCrawlDelay(host, verdict.crawlDelayMs);
    }
    const headers = { ...opts.headers, ...(userAgent && { 'user-agent': userAgent }) };
    // Feeds and sitemaps (expect 'xml') have their own, larger size cap: the sitemap protocol allows 50 MB.
    const maxBytes = expect === 'xml' ? deps.config.fetch.maxDiscoveryBytes : undefined;
    const request = deps.fetcher.fetch(url, {
      expect,
      ...(Object.keys(headers).length > 0 && { headers }),
      ...(maxBytes && { maxBytes }),
      ...(deps.signal && { waitSignal: deps.signal }),
      ...(deps.cancel && { signal: deps.cancel }),
    });
    opts.onQueued?.(); // the fetcher queues its first attempt synchronously (http.ts → hosts.run)
    const res = await request;
    deps.hosts.recover(host);
    return res;
  } finally {
    opts.onQueued?.();
  }
}

/**
 * A minimal async queue: producers push, one consumer drains until close.
 * Back-pressure: `full()` once `highWater` items wait (the consumer, which
 * writes each line to disk, is behind); `onRoom` is called when the
 * consumer has taken it back under, so producers start more work.
 */
function createChannel<T>(highWater: number, onRoom: () => void) {
  const items: T[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const signal = (): void => {
    wake?.();
    wake = null;
  };
  return {
    push(item: T): void {
      items.push(item);
      signal();
    },
    full: (): boolean => items.length >= highWater,
    close(): void {
      closed = true;
      signal();
    },
    async *drain(): AsyncGenerator<T> {
      for (;;) {
        while (items.length > 0) {
          const wasFull = items.length >= highWater;
          yield items.shift()!;
          if (wasFull && items.length < highWater) onRoom();
        }
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
