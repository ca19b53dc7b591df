/**
 * A run's politeness shared through Redis, the same for the planner and
 * every worker: each host's turns (host-lease.ts) with its in-flight cap (a
 * site's own `per_host.concurrency` for its hosts, else the run's default),
 * and robots.txt fetched once per host (shared-robots.ts).
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { SiteSource } from '../config/sources.js';
import type { SharedPoliteness } from '../crawl/deps.js';
import { hostnameOf } from '../shared/url.js';
import { type HostLease, createHostLease, sharedHostQueue } from './host-lease.js';
import { sharedRobots } from './shared-robots.js';

export interface RunPoliteness {
  /** For createCrawlDeps. */
  politeness: SharedPoliteness;
  lease: HostLease;
  /** A host's in-flight cap across all workers. */
  cap(host: string): number;
}

/** `holder`: who takes turns (a worker's name), so a dead holder's slots expire as its own. */
export function runPoliteness(redis: Redis, runId: string, holder: string, sites: SiteSource[], fetch: Config['fetch']): RunPoliteness {
  const lease = createHostLease(redis, runId, holder);
  const caps = new Map<string, number>();
  for (const s of sites) if (s.perHost?.concurrency) for (const h of s.hosts) caps.set(h, s.perHost.concurrency);
  const cap = (host: string): number => caps.get(hostnameOf(host)) ?? fetch.perHost.concurrency;
  return {
    politeness: { hosts: (local) => sharedHostQueue(local, lease, cap), robots: (agent) => sharedRobots(redis, runId, agent) },
    lease,
    cap,
  };
}
