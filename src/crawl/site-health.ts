/**
 * Whether each site of a crawl could be reached at all. A site whose every
 * entry point (feeds, sitemaps, start URLs) failed, and that gave nothing
 * else in this run, is a site failure: an outage to report (stderr, manifest,
 * exit status), not a handful of page rejects lost in the failure rate.
 */
import type { SiteSource } from '../config/sources.js';

export type SiteFailureCode = 'SITE_UNREACHABLE' | 'ROBOTS_UNAVAILABLE';

export interface SiteFailure {
  site: string;
  code: SiteFailureCode;
  /** One line: what failed, e.g. "robots.txt http://x/robots.txt: FETCH_FAILED: connect ECONNREFUSED". */
  message: string;
  /** Each failed entry point and its reject code. */
  entries: Array<{ url: string; code: string }>;
}

export interface SiteHealth {
  /** A reject of a URL; `site` when the URL is a page of that site. `benign`: policy or the page's nature (run.ignoreCodes), not a failure to reach the site. */
  rejected(key: string, site: string | null, code: string, message: string, benign: boolean): void;
  /** Something from the site came back fine: an article, a 304, a benign reject. */
  answered(site: string | null): void;
  /** Sites that could not be reached, in plan order. */
  failures(): SiteFailure[];
}

interface Tally {
  name: string;
  /** Entry points (canonical keys) not yet seen failing: feeds and sitemap roots are always fetched. */
  entries: Set<string>;
  /** Start URLs: fetched only when admitted, so they count only once they have an outcome. */
  startUrls: Set<string>;
  failed: Array<{ url: string; code: string; message: string }>;
  answered: boolean;
}

export function createSiteHealth(sites: readonly SiteSource[], keyOf: (url: string) => string): SiteHealth {
  const tallies = sites.map((s): Tally => ({
    name: s.name,
    entries: new Set([...s.feeds, ...s.sitemaps].map(keyOf)),
    startUrls: new Set(s.startUrls.map(keyOf)),
    failed: [],
    answered: false,
  }));
  const byName = new Map(tallies.map((t) => [t.name, t]));
  const owners = (key: string): Tally[] => tallies.filter((t) => t.entries.has(key) || t.startUrls.has(key));

  return {
    rejected(key, site, code, message, benign) {
      if (benign) return this.answered(site);
      for (const t of owners(key)) t.failed.push({ url: key, code, message });
    },
    answered(site) {
      const t = site === null ? undefined : byName.get(site);
      if (t) t.answered = true;
    },
    failures() {
      const out: SiteFailure[] = [];
      for (const t of tallies) {
        if (t.answered || t.failed.length === 0) continue;
        const failedKeys = new Set(t.failed.map((f) => f.url));
        // Every feed and sitemap root failed, and so did each start URL that was fetched.
        if (![...t.entries].every((k) => failedKeys.has(k))) continue;
        const code: SiteFailureCode = t.failed.some((f) => f.code === 'ROBOTS_UNAVAILABLE') ? 'ROBOTS_UNAVAILABLE' : 'SITE_UNREACHABLE';
        const first = t.failed.find((f) => f.code === code) ?? t.failed[0]!;
        const more = t.failed.length > 1 ? ` (and ${t.failed.length - 1} more entry point${t.failed.length > 2 ? 's' : ''})` : '';
        out.push({ site: t.name, code, message: `${first.message}${more}`, entries: t.failed.map(({ url, code: c }) => ({ url, code: c })) });
      }
      return out;
    },
  };
}
