/**
 * One polite request of the crawl: robots.txt first, then the fetch, each
 * attempt in its host's turn; and the small helpers around it.
 */
import type { SiteSource } from '../config/sources.js';
import { NewscleanError } from '../shared/errors.js';
import type { Expect, FetchResponse } from '../stages/fetch/index.js';
import { hostKey } from '../shared/url.js';
import type { CrawlDeps, Job } from './types.js';

export const headerValue = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? v[0] ?? null : v ?? null);

/** If-None-Match / If-Modified-Since from what the last visit returned. */
export function conditionalHeaders(v: Job['validators']): Record<string, string> | undefined {
  if (!v || (!v.etag && !v.lastModified)) return undefined;
  return { ...(v.etag && { 'if-none-match': v.etag }), ...(v.lastModified && { 'if-modified-since': v.lastModified }) };
}


export interface GuardOptions {
  headers?: Record<string, string>;
  /** Called once the request is queued at its host (or refused before): the frontier's claim on the host ends. */
  onQueued?: () => void;
  /** Kept beside the answer in the run's web archive (FetchOptions.archiveNote). */
  archiveNote?: Record<string, string>;
}

/**
 * robots.txt first (ROBOTS_DISALLOWED, Crawl-delay), then the fetch; every
 * attempt of it waits for its host's turn in deps.hosts (the fetcher's
 * schedule hook, crawl/deps.ts). A site's per_host and user_agent apply to
 * its hosts and requests (robots.txt included).
 */
export async function fetchGuarded(url: string, expect: Expect, deps: CrawlDeps, site: SiteSource | null, opts: GuardOptions): Promise<FetchResponse> {
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
      ...(opts.archiveNote && { archiveNote: opts.archiveNote }),
    });
    opts.onQueued?.(); // the fetcher queues its first attempt synchronously (http.ts → hosts.run)
    const res = await request;
    deps.hosts.recover(host);
    return res;
  } finally {
    opts.onQueued?.();
  }
}

