/**
 * Wiring for crawl and scrape: one fetcher, one host queue, one robots.txt
 * cache and one clean pool per run, built from the layered config.
 */
import type { Config } from '../config/schema.js';
import { ruleFilePath } from '../config/rule-files.js';
import { NewscleanError } from '../shared/errors.js';
import { type Logger, silentLogger } from '../shared/log.js';
import { type CleanPool, createCleanPool } from './clean-pool.js';

export { type CleanPool, createCleanPool };
import type { CrawlDeps } from './index.js';
import { type Fetcher, type HostQueue, createFetcher, createHostQueue, ROBOTS_MAX_BYTES, type RobotsCache, createRobotsCache } from '../stages/fetch/index.js';
import { loadUrlRules } from '../stages/normalize/index.js';
import { type WarcArchive, openWarcArchive } from '../stages/export/index.js';

/** What a crawl spread over many workers shares through Redis (src/queue/): each host's turns, and robots.txt fetched once per host. */
export interface SharedPoliteness {
  hosts(local: HostQueue): HostQueue;
  robots(agent: string): (robotsUrl: string, fetch: (robotsUrl: string) => Promise<{ status: number; body: string }>) => Promise<{ status: number; body: string }>;
}

/** With output.warc: the run's web archive, named after the run, and the settings its warcinfo record names. */
function runArchive(config: Config, runId: string | undefined): WarcArchive | null {
  const dir = config.output.warc;
  if (dir === undefined || runId === undefined) return null;
  const f = config.fetch;
  const settings = { 'http-header-user-agent': f.userAgent, robots: f.respectRobots ? 'obey' : 'ignore', 'newsclean-fetch': JSON.stringify({ concurrency: f.concurrency, perHost: f.perHost, retries: f.retries, maxBytes: f.maxBytes }) };
  return openWarcArchive({ dir, runId, maxBytes: config.output.warcMaxBytes, settings });
}

/**
 * `pool`: a clean pool that outlives the run (schedule mode keeps one for all
 * its runs: starting workers costs ~0.8 s of CPU each); the run then leaves it open.
 * `politeness`: turns and robots.txt shared with other workers (queue mode).
 * `runId`: names the run's web archive (with output.warc).
 */
export function createCrawlDeps(config: Config, log: Logger, threads: number, shared: { pool?: CleanPool; politeness?: SharedPoliteness; runId?: string } = {}): CrawlDeps & { close(): Promise<void> } {
  const f = config.fetch;
  const archive = runArchive(config, shared.runId);
  const local = createHostQueue({ concurrency: f.concurrency, perHost: f.perHost, maxDelayMs: Math.max(f.maxCrawlDelayMs, f.perHost.delayMs) });
  const hosts = shared.politeness ? shared.politeness.hosts(local) : local;
  const fetcher = createFetcher(f, {
    onThrottle: (host, status, retryAfterMs) => {
      log.warn({ stage: 'fetch', host, status, retryAfterMs }, 'host asks us to slow down');
      hosts.throttle(host, retryAfterMs);
    },
    // Every attempt (robots.txt, feeds, sitemaps, pages, retries) is one turn at its host.
    schedule: (url, attempt, { delayMs, signal }) => hosts.run(url, attempt, { signal, notBefore: Date.now() + delayMs, awaitSent: true }),
    hop: (url, signal) => hosts.hop(url, signal),
    ...(archive && { archive: (x, note) => archive.write(x, note) }),
  });
  const robotsCache = (agent: string, signal?: AbortSignal): RobotsCache => {
    const own = (robotsUrl: string) => fetchRobots(fetcher, robotsUrl, agent, signal);
    const viaShared = shared.politeness?.robots(agent);
    return createRobotsCache({ userAgent: agent, maxCrawlDelayMs: f.maxCrawlDelayMs, fetchRobots: viaShared ? (robotsUrl) => viaShared(robotsUrl, own) : own });
  };
  // One robots.txt cache per User-Agent (a site's user_agent picks its own robots group and
  // sends its own header); the run's signal (the first asker's: deps serve one run) stops its waits.
  const robotsCaches = new Map<string, RobotsCache>();
  const robotsFor = (userAgent: string | null, signal?: AbortSignal): RobotsCache | null => {
    if (!f.respectRobots) return null;
    const agent = userAgent ?? f.userAgent;
    let cache = robotsCaches.get(agent);
    if (!cache) robotsCaches.set(agent, (cache = robotsCache(agent, signal)));
    return cache;
  };
  // The pool cleans quietly (as worker threads do): crawl.ts logs each outcome with the run's logger.
  const pool = shared.pool ?? createCleanPool(config, threads, silentLogger);
  return {
    config,
    fetcher,
    hosts,
    robots: f.respectRobots ? robotsCache(f.userAgent) : null,
    robotsFor,
    pool,
    urlRules: loadUrlRules(ruleFilePath(config.clean.rulesDir, 'url-params.json')),
    log,
    ...(archive && { archive }),
    close: async () => {
      try {
        await archive?.close();
      } finally {
        if (!shared.pool) await pool.close();
      }
    },
  };
}

/** robots.txt with the given User-Agent; a final HTTP status is an answer, not a failure. */
async function fetchRobots(fetcher: Fetcher, robotsUrl: string, userAgent: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  try {
    // Only the first 500 KiB are read (RFC 9309 §2.5), whatever fetch.maxBytes says: a larger file is parsed that far.
    const res = await fetcher.fetch(robotsUrl, { expect: 'text', headers: { 'user-agent': userAgent }, maxBytes: ROBOTS_MAX_BYTES, truncate: true, ...(signal && { waitSignal: signal }) });
    return { status: res.status, body: res.bytes.toString('utf8') };
  } catch (err) {
    // A final HTTP status is an answer (4xx: no rules; 5xx: unreachable), not a failure.
    const status = err instanceof NewscleanError ? /^HTTP_(\d{3})$/.exec(err.code)?.[1] : undefined;
    if (status) return { status: Number(status), body: '' };
    // A refused address: no rules apply, and the page fetch itself is refused with the same code.
    if (err instanceof NewscleanError && err.code === 'PRIVATE_NETWORK') return { status: 404, body: '' };
    throw err;
  }
}
