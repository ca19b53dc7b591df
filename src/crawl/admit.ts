/**
 * The frontier step's way in: a discovered URL is taken once per run
 * (compared in canonical form), asked about at the state store's gate (known,
 * deferred, or to fetch with validators), kept for a resume, and queued under
 * its host in the frontier.
 *
 * Input: URLs from discovery, seeds, followed links and a resume.
 * Output: jobs in the frontier; the counters discovered / known / deferred.
 */
import { hostOf } from '../shared/url.js';
import type { Frontier } from './frontier.js';
import type { CrawlGate, CrawlStats, FrontierEntry, Job, ListedDate, SiteState } from './types.js';

export interface AdmitOptions {
  /** A start URL or a URL given to scrape: always worth a visit (the gate's `seed`). */
  seed?: boolean;
  /** Already kept by the state store (a resumed entry): not recorded again. */
  persisted?: boolean;
  /** The date the listing feed or sitemap gave (ListedDate). */
  listedDate?: ListedDate | undefined;
}

export interface Admitter {
  /** Take a URL into the frontier once; false when it was seen before (or the crawl has closed). */
  admit(url: string, depth: number, site: SiteState | null, opts?: AdmitOptions): boolean;
  /** Mark a canonical key as taken (a redirect's target); false when it was taken before. */
  claim(key: string): boolean;
  /** Forget a key, so that a resumed entry can be admitted again. */
  forget(key: string): void;
  /** No more URLs are taken: discovery that outlives a stopped run is found again by the next run. */
  close(): void;
}

export interface AdmitInput {
  /** Canonical keys settled before this run (a resume's done list). */
  done: Iterable<string>;
  keyOf: (url: string) => string;
  frontier: Frontier<Job>;
  gate: CrawlGate | undefined;
  stats: CrawlStats;
  /** Called after a job was queued: a free slot may take it. */
  onQueued: () => void;
}

export function createAdmitter(input: AdmitInput): Admitter {
  const { keyOf, frontier, gate, stats } = input;
  const seen = new Set<string>(input.done);
  let closed = false;
  return {
    admit(url, depth, site, opts = {}) {
      if (closed) return false;
      const key = keyOf(url);
      if (seen.has(key)) return false;
      seen.add(key);
      stats.discovered++;
      const entry: FrontierEntry = { key, url, depth, site: site?.source.name ?? null };
      const admission = gate?.admit(entry, opts.seed ?? false) ?? { fetch: true };
      if (!admission.fetch) {
        if (admission.reason === 'known') stats.known++;
        else stats.deferred++;
        return true;
      }
      if (!opts.persisted) gate?.enqueued([entry]);
      const host = hostOf(url);
      frontier.push(host, { url, host, key, depth, site, validators: admission.validators, listedDate: opts.listedDate });
      input.onQueued();
      return true;
    },
    claim(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    forget: (key) => void seen.delete(key),
    close: () => void (closed = true),
  };
}
