/**
 * Crawl and scrape: discovery (feeds, sitemaps, links) → polite fetch →
 * clean/normalize on the worker pool → outcomes. Every URL taken in ends as
 * an article or a coded reject; nothing a server sends can crash the run.
 *
 * The frontier is breadth-first: start URLs, feed and sitemap items, then the
 * links of fetched pages up to each site's follow depth. URLs are compared in
 * canonical form, so a URL is fetched at most once per run.
 */
import type { Config } from './config/schema.js';
import type { SiteSource } from './config/sources.js';
import { NewscleanError, toNewscleanError } from './errors.js';
import type { Logger } from './log.js';
import type { Outcome } from './pipeline.js';
import type { CleanPool } from './clean-pool.js';
import type { Expect, Fetcher, FetchResponse } from './stages/fetch/http.js';
import { type HostQueue, hostKey } from './stages/fetch/host-queue.js';
import type { RobotsCache } from './stages/fetch/robots.js';
import { decodeHtml } from './stages/fetch/decode.js';
import { parseFeed } from './stages/fetch/discover/feeds.js';
import { parseSitemap } from './stages/fetch/discover/sitemaps.js';
import { type FollowRules, compileFollowRules, isSince, shouldFollow } from './stages/fetch/discover/follow.js';
import { type UrlRules, canonicalizeUrl } from './stages/normalize/canonical-url.js';

export interface CrawlPlan {
  /** Sites to discover from (crawl). */
  sites: SiteSource[];
  /** Given URLs, fetched as they are with no discovery (scrape). */
  urls: string[];
  maxArticles: number | null;
  /** Feed and sitemap items dated before this are skipped. */
  since: Date | null;
}

export interface CrawlDeps {
  config: Config;
  fetcher: Fetcher;
  hosts: HostQueue;
  robots: RobotsCache | null;
  pool: CleanPool;
  urlRules: UrlRules;
  log: Logger;
  now?: () => Date;
  /** Called once per page fetched, with the time from the start of its fetch to its outcome (benchmarks, stats). */
  onPageDone?: (url: string, fetchToOutcomeMs: number) => void;
}

/** Progress counters a caller may display. */
export interface CrawlStats {
  discovered: number;
  fetched: number;
  articles: number;
  rejects: number;
  /** Discovered but never fetched because --max-articles was reached. */
  skipped: number;
}

interface SiteState {
  source: SiteSource;
  follow: FollowRules;
  articles: number;
}

interface Job {
  url: string;
  depth: number;
  site: SiteState | null;
}

/** Child sitemaps read per site (a sitemap index can list thousands). */
const MAX_SITEMAPS_PER_SITE = 200;

/** Jobs in flight per fetch slot: enough to keep every host queue busy while pages are cleaned. */
const JOBS_PER_SLOT = 2;

export function crawl(plan: CrawlPlan, deps: CrawlDeps): { outcomes: AsyncIterable<Outcome>; stats: CrawlStats } {
  const stats: CrawlStats = { discovered: 0, fetched: 0, articles: 0, rejects: 0, skipped: 0 };
  return { outcomes: run(plan, deps, stats), stats };
}

async function* run(plan: CrawlPlan, deps: CrawlDeps, stats: CrawlStats): AsyncGenerator<Outcome> {
  const now = deps.now ?? (() => new Date());
  const channel = createChannel<Outcome>();
  const seen = new Set<string>();
  const queue: Job[] = [];
  const limit = deps.config.fetch.concurrency * JOBS_PER_SLOT;
  let active = 0;
  let articles = 0;

  const emit = (o: Outcome): void => {
    if (o.ok) stats.articles++;
    else stats.rejects++;
    channel.push(o);
  };
  const rejectUrl = (url: string, err: unknown): void => {
    const e = toNewscleanError(err, 'FETCH_FAILED');
    deps.log.info({ stage: 'fetch', url, code: e.code, attempts: e.attempts }, e.message);
    emit({ ok: false, reject: { source: url, url, code: e.code, message: e.message, ...(e.attempts !== undefined && { attempts: e.attempts }) } });
  };
  const key = (url: string): string => canonicalizeUrl(url, deps.urlRules);
  const full = (site: SiteState | null): boolean =>
    (plan.maxArticles !== null && articles >= plan.maxArticles) ||
    (site?.source.maxArticles != null && site.articles >= site.source.maxArticles);

  /** Take a URL into the frontier once; false when it was seen before. */
  const enqueue = (url: string, depth: number, site: SiteState | null): boolean => {
    const k = key(url);
    if (seen.has(k)) return false;
    seen.add(k);
    stats.discovered++;
    queue.push({ url, depth, site });
    pump();
    return true;
  };

  const fetchPolitely = (url: string, expect: Expect): Promise<FetchResponse> => fetchGuarded(url, expect, deps);

  const processJob = async (job: Job): Promise<void> => {
    if (full(job.site)) {
      stats.skipped++;
      return;
    }
    const started = performance.now();
    const done = (): void => deps.onPageDone?.(job.url, performance.now() - started);
    let res: FetchResponse;
    try {
      res = await fetchPolitely(job.url, 'html');
    } catch (err) {
      rejectUrl(job.url, err);
      return;
    }
    stats.fetched++;
    const finalKey = key(res.url);
    if (finalKey !== key(job.url)) {
      if (seen.has(finalKey)) {
        emit({ ok: false, reject: { source: job.url, url: job.url, code: 'DUPLICATE_URL', message: `redirects to ${res.url}, already taken in this run`, attempts: res.attempts } });
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
      emit({ ok: true, record: outcome.record });
    } else {
      emit({ ok: false, reject: { ...outcome.reject, url: job.url, attempts: res.attempts } });
    }
    done();
  };

  let discovering = 0;
  const pump = (): void => {
    while (active < limit && queue.length > 0) {
      const job = queue.shift()!;
      active++;
      processJob(job)
        .catch((err) => rejectUrl(job.url, toNewscleanError(err, 'EXTRACT_FAILED')))
        .finally(() => {
          active--;
          pump();
          if (active === 0 && queue.length === 0 && discovering === 0) channel.close();
        });
    }
  };

  const discover = async (site: SiteState): Promise<void> => {
    const tasks = [
      ...site.source.feeds.map((f) => readFeed(f, site)),
      ...site.source.sitemaps.map((s) => readSitemaps(s, site)),
    ];
    for (const u of site.source.startUrls) enqueue(u, 0, site);
    await Promise.all(tasks);
  };

  const readFeed = async (feedUrl: string, site: SiteState): Promise<void> => {
    try {
      const res = await fetchPolitely(feedUrl, 'xml');
      for (const item of parseFeed(decodeHtml({ source: feedUrl, url: res.url, bytes: res.bytes, contentType: res.contentType }).html, res.url)) {
        if (isSince(item.published, plan.since)) enqueue(item.url, 1, site);
      }
    } catch (err) {
      rejectUrl(feedUrl, err);
    }
  };

  const readSitemaps = async (rootUrl: string, site: SiteState): Promise<void> => {
    const pending = [rootUrl];
    const done = new Set<string>();
    while (pending.length > 0 && done.size < MAX_SITEMAPS_PER_SITE) {
      const url = pending.shift()!;
      if (done.has(url)) continue;
      done.add(url);
      try {
        const res = await fetchPolitely(url, 'xml');
        const text = decodeHtml({ source: url, url: res.url, bytes: res.bytes, contentType: res.contentType }).html;
        const { urls, sitemaps } = parseSitemap(text, res.url);
        for (const item of urls) if (isSince(item.published, plan.since)) enqueue(item.url, 1, site);
        for (const child of sitemaps) if (isSince(child.lastmod, plan.since)) pending.push(child.url);
      } catch (err) {
        rejectUrl(url, err);
      }
    }
  };

  // Seed the frontier; discovery runs alongside the page jobs it feeds.
  for (const url of plan.urls) {
    // A URL that is not http(s) is refused by robots.ts / http.ts as INVALID_URL, like any other.
    if (!enqueue(url, 0, null)) rejectUrl(url, new NewscleanError('DUPLICATE_URL', 'given twice (same canonical URL)'));
  }
  const sites = plan.sites.map((source) => ({
    source,
    follow: compileFollowRules(source.follow, `site ${source.name}: follow`),
    articles: 0,
  }));
  discovering = 1;
  void Promise.all(sites.map(discover)).finally(() => {
    discovering = 0;
    if (active === 0 && queue.length === 0) channel.close();
  });

  yield* channel.drain();
}

/** robots.txt first (ROBOTS_DISALLOWED, Crawl-delay), then the fetch inside the host's queue. */
async function fetchGuarded(url: string, expect: Expect, deps: CrawlDeps): Promise<FetchResponse> {
  const host = hostKey(url);
  if (deps.robots) {
    const verdict = await deps.robots.check(url);
    if (!verdict.allowed) throw new NewscleanError('ROBOTS_DISALLOWED', verdict.reason ?? `robots.txt disallows ${new URL(url).pathname}`, { attempts: 0 });
    if (verdict.crawlDelayMs !== null) deps.hosts.setCrawlDelay(host, verdict.crawlDelayMs);
  }
  const res = await deps.hosts.run(url, () => deps.fetcher.fetch(url, { expect }));
  deps.hosts.recover(host);
  return res;
}

/** A minimal async queue: producers push, one consumer drains until close. */
function createChannel<T>() {
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
    close(): void {
      closed = true;
      signal();
    },
    async *drain(): AsyncGenerator<T> {
      for (;;) {
        while (items.length > 0) yield items.shift()!;
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
