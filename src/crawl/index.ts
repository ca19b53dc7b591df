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
import { NewscleanError, toNewscleanError } from '../shared/errors.js';
import type { Expect, FetchResponse } from '../stages/fetch/http.js';
import { compileFollowRules, shouldFollow } from '../stages/fetch/discover/follow.js';
import { canonicalizeUrl } from '../stages/normalize/canonical-url.js';
import { createChannel } from './channel.js';
import { discoverSite } from './discover.js';
import { type GuardOptions, conditionalHeaders, fetchGuarded, headerValue, hostOf } from './fetch-guard.js';
import { createFrontier } from './frontier.js';
import { createSiteHealth } from './site-health.js';
import type { CrawlDeps, CrawlOutcome, CrawlPlan, CrawlStats, FrontierEntry, HostStats, Job, PageMeta, SiteState } from './types.js';

export type { Admission, CrawlDeps, CrawlGate, CrawlOutcome, CrawlPlan, CrawlStats, FrontierEntry, HostStats, PageMeta } from './types.js';

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
  const hostStats = (url: string): HostStats => (stats.hosts[hostOf(url)] ??= { fetched: 0, bytes: 0, articles: 0, rejects: 0 });
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

  // Discovery (discover.ts): feeds and sitemaps fetched politely, their items and the start URLs taken in.
  const discover = (site: SiteState): Promise<void> =>
    discoverSite(site, { fetch: fetchPolitely, enqueue, reject: rejectUrl, aborted, since: plan.since, stats, log: deps.log });

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

