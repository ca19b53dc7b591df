/**
 * robots.txt (RFC 9309): fetched once per origin per run, cached, and asked
 * whether a URL may be crawled and how long to wait between requests.
 */
import robotsParserModule from 'robots-parser';
import { NewscleanError } from '../../shared/errors.js';
import { parseHttpUrl } from '../../shared/url.js';

type RobotsParser = typeof robotsParserModule.default;
/**
 * robots-parser is CommonJS (`module.exports = fn`) but its .d.ts says `export default fn`,
 * so under NodeNext TypeScript types the default import as the module object. Node hands us
 * module.exports (the function); accept either shape so other loaders work too.
 */
const robotsParser: RobotsParser =
  typeof robotsParserModule === 'function' ? (robotsParserModule as RobotsParser) : robotsParserModule.default;

export interface RobotsVerdict {
  allowed: boolean;
  crawlDelayMs: number | null;
  /**
   * When not allowed: ROBOTS_DISALLOWED for a real Disallow (final), or a
   * temporary refusal while robots.txt cannot be read (RFC 9309 §2.3.1.4):
   * ROBOTS_UNAVAILABLE (5xx) or SITE_UNREACHABLE (no answer at all). Later runs
   * retry the temporary ones like any transient failure.
   */
  code?: RobotsRefusal;
  /** why, when not allowed */
  reason?: string;
}

export type RobotsRefusal = 'ROBOTS_DISALLOWED' | 'ROBOTS_UNAVAILABLE' | 'SITE_UNREACHABLE';

/** Fetches a robots.txt URL (redirects already followed). May throw on network errors. */
export type RobotsFetch = (robotsUrl: string) => Promise<{ status: number; body: string }>;

export interface RobotsCache {
  check(url: string): Promise<RobotsVerdict>;
  /** origins fetched so far (tests, stats) */
  fetchedCount(): number;
}

export interface RobotsCacheOptions {
  userAgent: string;
  fetchRobots: RobotsFetch;
  maxCrawlDelayMs: number;
}

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; we parse exactly that much. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

type Robot = ReturnType<RobotsParser>;

/** What one origin's robots.txt says, independent of the path asked about. */
type OriginPolicy =
  | { kind: 'allow-all' }
  | { kind: 'disallow-all'; code: RobotsRefusal; reason: string }
  | { kind: 'rules'; robot: Robot; crawlDelayMs: number | null };

/** 'newsclean/0.1 (+https://…)' → 'newsclean': robots groups match the product token only. */
export function productToken(userAgent: string): string {
  const beforeSlash = userAgent.split('/')[0] ?? '';
  return (beforeSlash.trim().split(/\s+/)[0] ?? '').toLowerCase() || '*';
}

function parseUrl(url: string): URL {
  const parsed = parseHttpUrl(url);
  if (parsed) return parsed;
  throw new NewscleanError('INVALID_URL', `Not an absolute http(s) URL: ${url}`);
}

/** Keep the first 500 KiB (bytes, not UTF-16 units); a split trailing character is harmless. */
export function truncateRobotsBody(body: string): string {
  // A string of n UTF-16 units is at most 3n UTF-8 bytes: skip the encode for small bodies.
  if (body.length * 3 <= ROBOTS_MAX_BYTES) return body;
  const bytes = Buffer.from(body, 'utf8');
  return bytes.length <= ROBOTS_MAX_BYTES ? body : bytes.subarray(0, ROBOTS_MAX_BYTES).toString('utf8');
}

function crawlDelayMs(robot: Robot, agent: string, maxMs: number): number | null {
  const seconds = robot.getCrawlDelay(agent);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  return Math.min(Math.round(seconds * 1000), maxMs);
}

function policyFromResponse(
  robotsUrl: string,
  res: { status: number; body: string },
  agent: string,
  maxCrawlDelayMs: number,
): OriginPolicy {
  const { status } = res;
  if (status >= 200 && status < 300) {
    const robot = robotsParser(robotsUrl, truncateRobotsBody(res.body));
    return { kind: 'rules', robot, crawlDelayMs: crawlDelayMs(robot, agent, maxCrawlDelayMs) };
  }
  // §2.3.1.3 'unavailable' (4xx), and §2.3.1.2 a redirect chain the fetcher gave up on: no restrictions.
  if (status >= 300 && status < 500) return { kind: 'allow-all' };
  // §2.3.1.4 'unreachable' (5xx, or anything nonsensical): assume complete disallow, for now.
  return { kind: 'disallow-all', code: 'ROBOTS_UNAVAILABLE', reason: `robots.txt unavailable: ${robotsUrl} answered HTTP ${status} (after retries); RFC 9309 says wait, a later run retries` };
}

async function loadPolicy(robotsUrl: string, opts: RobotsCacheOptions, agent: string): Promise<OriginPolicy> {
  try {
    return policyFromResponse(robotsUrl, await opts.fetchRobots(robotsUrl), agent, opts.maxCrawlDelayMs);
  } catch (err) {
    // No answer at all (DNS, refused, reset, TLS, timeout): the site is unreachable, not disallowing.
    const message = err instanceof Error ? err.message : String(err);
    const cause = err instanceof NewscleanError ? `${err.code}: ` : '';
    return { kind: 'disallow-all', code: 'SITE_UNREACHABLE', reason: `robots.txt ${robotsUrl} got no answer: ${cause}${message}` };
  }
}

function verdictFor(policy: OriginPolicy, url: URL, agent: string): RobotsVerdict {
  if (policy.kind === 'allow-all') return { allowed: true, crawlDelayMs: null };
  if (policy.kind === 'disallow-all') return { allowed: false, crawlDelayMs: null, code: policy.code, reason: policy.reason };
  // undefined means the URL is not on this robots.txt's origin; cannot happen since we key by origin.
  const allowed = policy.robot.isAllowed(url.href, agent) ?? true;
  if (allowed) return { allowed: true, crawlDelayMs: policy.crawlDelayMs };
  const line = policy.robot.getMatchingLineNumber(url.href, agent);
  return {
    allowed: false,
    crawlDelayMs: policy.crawlDelayMs,
    code: 'ROBOTS_DISALLOWED',
    reason: `robots.txt of ${url.origin} disallows ${url.pathname}${url.search} for ${agent}${line > 0 ? ` (line ${line})` : ''}`,
  };
}

export function createRobotsCache(opts: RobotsCacheOptions): RobotsCache {
  const agent = productToken(opts.userAgent);
  // Promises, not results: concurrent checks for one origin share a single fetch.
  // One entry per origin for the whole run; origins are few compared to URLs.
  const policies = new Map<string, Promise<OriginPolicy>>();

  const policyFor = (origin: string): Promise<OriginPolicy> => {
    let policy = policies.get(origin);
    if (!policy) {
      policy = loadPolicy(`${origin}/robots.txt`, opts, agent);
      policies.set(origin, policy);
    }
    return policy;
  };

  return {
    async check(url) {
      const parsed = parseUrl(url);
      // URL.origin is scheme://host[:port], default port dropped: exactly RFC 9309's scope.
      return verdictFor(await policyFor(parsed.origin), parsed, agent);
    },
    fetchedCount: () => policies.size,
  };
}
