/**
 * End to end for politeness (issue 19): the built CLI crawls many loopback
 * hosts (scripts/lib/polite-hosts.mjs: one server per port, each port a host)
 * and the servers record when each request arrived and how many were in
 * flight. Asserted at the servers, never by wall time:
 *   - free fetch slots go to hosts that are ready (slots busy), while
 *   - no host sees two request starts closer than its delay, retries and the
 *     request after robots.txt included, and
 *   - a site's own per_host.delay_ms and user_agent apply to its hosts.
 *
 * Slack on the gaps: 5 ms, for clocks only. The crawler counts a host's next
 * start from when the previous request's answer began (http.ts markSent),
 * which the server's arrival stamp always precedes, so no lag on either side
 * can shrink a gap; what is left is that the crawler's clock is Date.now in
 * whole ms (a start can be up to 1 ms "early" in real time) and the servers
 * stamp with performance.now in another process. A start that ignored the
 * delay (a retry after a 10-40 ms back-off, a page right after robots.txt)
 * misses by far more.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper shared with scripts/bench-crawl.mjs
import { startPoliteHosts as startHostsUntyped } from '../scripts/lib/polite-hosts.mjs';
import { jsonLines, runCli } from './helpers/run-cli.js';

interface Trap { status: number; headers?: Record<string, string>; body?: string }
interface PoliteHosts {
  origins: string[];
  log: Array<{ host: number; origin: string; path: string; at: number; userAgent: string | undefined }>;
  gapsByHost(): Map<number, number[]>;
  minGap(): number;
  inFlight(which?: 'all' | 'pages'): { max: number; mean: number };
  close(): Promise<void>;
}
const startPoliteHosts = startHostsUntyped as (opts: {
  hosts: number;
  pages: number;
  latencyMs: number;
  trap?: (req: { host: number; path: string; hit: number }) => Trap | null;
  robots?: (host: number) => string;
}) => Promise<PoliteHosts>;

const SLACK_MS = 5;

/** Every start-to-start gap on `host` is at least `delayMs` (less the slack); the failure message shows the host's timeline. */
function expectSpaced(server: PoliteHosts, host: number, delayMs: number): void {
  const requests = server.log.filter((r) => r.host === host);
  const t0 = requests[0]?.at ?? 0;
  const timeline = requests.map((r) => `${(r.at - t0).toFixed(1)} ${r.path}`).join(', ');
  for (const gap of server.gapsByHost().get(host) ?? []) expect(gap, `host ${host}: ${timeline}`).toBeGreaterThanOrEqual(delayMs - SLACK_MS);
}

let tmp: string;
let runs = 0;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-polite-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `newsclean crawl` over a sources file; returns the records and rejects. */
async function crawl(sourcesYaml: string): Promise<{ records: Array<{ url: string }>; rejects: Array<{ url: string; code: string }> }> {
  const n = ++runs;
  const sources = join(tmp, `sources-${n}.yaml`);
  const rejects = join(tmp, `rejects-${n}.jsonl`);
  writeFileSync(sources, sourcesYaml);
  const r = await runCli(['crawl', '-c', sources, '--allow-private-networks', '--threads', '1', '-o', '-', '--rejects', rejects, '--state', join(tmp, `state-${n}.db`), '--output-dir', join(tmp, `out-${n}`)]);
  expect(r.code, r.stderr).toBe(0);
  return { records: jsonLines(r.stdout) as Array<{ url: string }>, rejects: (existsSync(rejects) ? jsonLines(readFileSync(rejects, 'utf8')) : []) as Array<{ url: string; code: string }> }; // created with its first line
}

const siteYaml = (name: string, origin: string, extra = ''): string =>
  `  - name: ${name}\n    sitemaps: ["${origin}/sitemap.xml"]\n    follow: { max_depth: 0 }\n${extra}`;

describe('politeness at the server', () => {
  it('12 hosts x 5 pages, 300 ms delay, 6 slots: the slots stay busy and no host sees a gap under its delay', async () => {
    const server = await startPoliteHosts({ hosts: 12, pages: 5, latencyMs: 50 });
    try {
      const sites = server.origins.map((o, i) => siteYaml(`h${i}`, o)).join('');
      const { records, rejects } = await crawl(`defaults: { concurrency: 6, per_host: { concurrency: 2, delay_ms: 300 } }\nsites:\n${sites}`);
      expect(rejects).toEqual([]);
      expect(records).toHaveLength(60);
      // Page requests only: robots.txt and sitemaps of all hosts come in one burst at the start. A FIFO
      // frontier kept 1-3 pages in flight here (a host's pages in a row, each waiting out its delay).
      expect(server.inFlight('pages').max).toBeGreaterThanOrEqual(5);
      for (const [host, gaps] of server.gapsByHost()) {
        expect(gaps, `host ${host}`).toHaveLength(6); // robots.txt, sitemap, 5 pages
        expectSpaced(server, host, 300);
      }
    } finally {
      await server.close();
    }
  }, 60_000);

  it('retries and the first request after robots.txt wait for the host delay too', async () => {
    // Host 0: /p/1 answers 503 once and /p/2 500 twice; the back-off (10-40 ms) is far under the delay.
    const server = await startPoliteHosts({
      hosts: 2,
      pages: 3,
      latencyMs: 20,
      trap: ({ host, path, hit }) =>
        host === 0 && ((path === '/p/1.html' && hit === 1) || (path === '/p/2.html' && hit <= 2)) ? { status: path === '/p/1.html' ? 503 : 500 } : null,
    });
    try {
      const sites = server.origins.map((o, i) => siteYaml(`h${i}`, o)).join('');
      const { records } = await crawl(
        `defaults: { concurrency: 4, per_host: { concurrency: 2, delay_ms: 250 }, retries: { limit: 3, base_delay_ms: 10, max_delay_ms: 40 } }\nsites:\n${sites}`,
      );
      expect(records).toHaveLength(6);
      const host0 = server.log.filter((r) => r.host === 0).map((r) => r.path);
      expect(host0.slice(0, 2)).toEqual(['/robots.txt', '/sitemap.xml']);
      expect(host0.filter((p) => p === '/p/2.html')).toHaveLength(3);
      for (const host of [0, 1]) expectSpaced(server, host, 250);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("each site's user_agent (header and robots.txt group) and per_host.delay_ms apply to its own hosts", async () => {
    const server = await startPoliteHosts({
      hosts: 2,
      pages: 4,
      latencyMs: 10,
      // Each robots.txt keeps one page from its own site's product token only.
      robots: (h) => (h === 0 ? 'User-agent: alpha-bot\nDisallow: /p/0.html\n' : 'User-agent: beta-bot\nDisallow: /p/3.html\n'),
    });
    try {
      const [a, b] = server.origins as [string, string];
      const { records, rejects } = await crawl(
        'defaults: { concurrency: 4, user_agent: "default-bot/1.0", per_host: { concurrency: 1, delay_ms: 250 } }\nsites:\n' +
          siteYaml('alpha', a, '    user_agent: "alpha-bot/1.0 (+https://example.org/alpha)"\n    per_host: { delay_ms: 400 }\n') +
          siteYaml('beta', b, '    user_agent: "beta-bot/2.0"\n    per_host: { delay_ms: 60 }\n'),
      );
      expect(rejects.map((r) => `${r.url} ${r.code}`).sort()).toEqual([`${a}/p/0.html ROBOTS_DISALLOWED`, `${b}/p/3.html ROBOTS_DISALLOWED`].sort());
      expect(records).toHaveLength(6);
      const agents = (h: number): Set<string | undefined> => new Set(server.log.filter((r) => r.host === h).map((r) => r.userAgent));
      expect(agents(0)).toEqual(new Set(['alpha-bot/1.0 (+https://example.org/alpha)']));
      expect(agents(1)).toEqual(new Set(['beta-bot/2.0']));
      const gaps = server.gapsByHost();
      expectSpaced(server, 0, 400);
      expectSpaced(server, 1, 60);
      // beta's own 60 ms, not the default 250 ms: its requests came faster than the default allows.
      expect(Math.min(...gaps.get(1)!)).toBeLessThan(250 - SLACK_MS);
    } finally {
      await server.close();
    }
  }, 60_000);
});
