/**
 * Loopback news hosts that answer slowly and remember when each request
 * started and how many were in flight: what politeness across workers is
 * measured by (start to start, in flight, robots.txt fetches per host). Each
 * host is its own port, and so its own host to the crawler.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { articlePage } from './news-site.js';

export interface TimedHost {
  origin: string;
  /** Start times (ms) of page requests, in order. */
  starts: number[];
  /** The most page requests in flight at once. */
  maxInFlight: number;
  robotsFetches: number;
}

const para = (host: number, n: number, i: number): string =>
  `Dispatch ${host}-${n}, part ${i}: the harbour authority met on day ${n * 3 + i} about ferry ${host}, the repairs of pier ${n}-${i} and the costs that residents had asked about for ${i + 2} months.`;

export async function startTimedHosts(hosts: number, pages: number, latencyMs: number, robots = 'User-agent: *\nAllow: /\n'): Promise<{ hosts: TimedHost[]; close(): Promise<void> }> {
  const servers: Server[] = [];
  const out: TimedHost[] = [];
  for (let h = 0; h < hosts; h++) {
    const host: TimedHost = { origin: '', starts: [], maxInFlight: 0, robotsFetches: 0 };
    let inFlight = 0;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/robots.txt') {
        host.robotsFetches++;
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(robots);
      }
      if (path === '/sitemap.xml') {
        const urls = Array.from({ length: pages }, (_, n) => `<url><loc>${host.origin}/news/item-${n + 1}.html</loc></url>`).join('');
        return void res.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`);
      }
      const m = /^\/news\/item-(\d+)\.html$/.exec(path);
      if (!m) return void res.writeHead(404).end('not found');
      host.starts.push(Date.now());
      inFlight++;
      host.maxInFlight = Math.max(host.maxInFlight, inFlight);
      const n = Number(m[1]);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(`Dispatch ${h}-${n}`, [0, 1, 2].map((i) => para(h, n, i))));
      }, latencyMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
    out.push(host);
  }
  return {
    hosts: out,
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}

/** Shortest gap between two request starts (ms); Infinity with fewer than two. */
export function minGap(starts: number[]): number {
  const s = [...starts].sort((a, b) => a - b);
  let min = Infinity;
  for (let i = 1; i < s.length; i++) min = Math.min(min, s[i]! - s[i - 1]!);
  return min;
}
