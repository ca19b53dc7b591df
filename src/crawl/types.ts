/**
 * The crawl's types: what a caller gives (plan, deps), what it gets back
 * (outcomes, stats), and the state the crawl's steps share (sites, jobs).
 */
import type { ListedDate } from '../shared/types.js';
import type { Config } from '../config/schema.js';
import type { SiteSource } from '../config/sources.js';
import type { Logger } from '../shared/log.js';
import type { PageOutcome } from '../stages/pipeline.js';
import type { CleanPool } from './clean-pool.js';
import type { Fetcher, HostQueue, RobotsCache, FollowRules } from '../stages/fetch/index.js';
import type { UrlRules } from '../stages/normalize/index.js';
import type { SiteFailure } from './site-health.js';

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
 * What the state store says about a URL before it is fetched (src/run/ledger.ts):
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
export type CrawlOutcome = PageOutcome & { page?: PageMeta };

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
  /** With output.warc: the run's web archive (every exchange the fetcher makes is written to it). */
  archive?: { files(): string[] };
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

/** A site of the plan while it is crawled. */
export interface SiteState {
  source: SiteSource;
  follow: FollowRules;
  articles: number;
}

/** A URL taken into the frontier, waiting for its host. */
export interface Job {
  url: string;
  /** host key (host[:port]); '(invalid)' for a URL that does not parse (refused when fetched) */
  host: string;
  key: string;
  depth: number;
  site: SiteState | null;
  validators?: { etag: string | null; lastModified: string | null } | undefined;
  /** The date the feed item or sitemap entry that listed the URL gave: the page's date when the page itself gives none. */
  listedDate?: ListedDate | undefined;
}

/** A date a feed or sitemap gave for a URL it listed. Not kept for a resume: a resumed page goes without it. */
export type { ListedDate };

