/**
 * Many loopback "hosts" for politeness benchmarks and tests: one HTTP server
 * per host on its own port (a host key is host:port, so each is a host to the
 * crawler). Each serves /robots.txt (allow all), /sitemap.xml listing its
 * pages and /p/<n>.html (a generated article), every answer after
 * `latencyMs`. The servers share one recorder that sees requests as they
 * arrive: per host the start times (and User-Agent) of every request, and
 * overall the requests in flight (max, and the time-weighted mean from the
 * first arrival to the last answer).
 *
 * `trap` (optional) answers a request instead, e.g. 503 + Retry-After;
 * `robots` (optional) gives a host's robots.txt.
 */
import { createServer } from 'node:http';
import { articleHtml } from './generated-site.mjs';

/**
 * @param {{ hosts: number, pages: number, latencyMs: number,
 *   trap?: (req: { host: number, path: string, hit: number }) => null | { status: number, headers?: Record<string, string>, body?: string },
 *   robots?: (host: number) => string }} opts
 */
export async function startPoliteHosts({ hosts, pages, latencyMs, trap, robots }) {
  /** @type {Array<{ host: number, origin: string, path: string, at: number, userAgent: string | undefined }>} */
  const log = [];
  const servers = [];
  const origins = [];
  const hits = new Map();
  // Requests in flight: all of them, and page requests only (robots.txt and sitemaps all come at the start).
  const all = inFlightGauge();
  const pagesOnly = inFlightGauge();

  for (let h = 0; h < hosts; h++) {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const origin = origins[h];
      const key = `${h} ${path}`;
      const hit = (hits.get(key) ?? 0) + 1;
      hits.set(key, hit);
      log.push({ host: h, origin, path, at: performance.now(), userAgent: req.headers['user-agent'] });
      const gauges = path.startsWith('/p/') ? [all, pagesOnly] : [all];
      for (const g of gauges) g.change(+1);
      let answered = false;
      const done = () => {
        if (answered) return;
        answered = true;
        for (const g of gauges) g.change(-1);
      };
      res.on('finish', done);
      res.on('close', done);
      const answer = () => {
        const trapped = trap?.({ host: h, path, hit });
        if (trapped) {
          res.writeHead(trapped.status, { 'content-type': 'text/plain', ...trapped.headers });
          return res.end(trapped.body ?? '');
        }
        if (path === '/robots.txt') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(robots?.(h) ?? 'User-agent: *\nAllow: /\n');
        }
        if (path === '/sitemap.xml') {
          const urls = Array.from({ length: pages }, (_, n) => `<url><loc>${origin}/p/${n}.html</loc></url>`).join('');
          res.writeHead(200, { 'content-type': 'application/xml' });
          return res.end(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`);
        }
        const page = /^\/p\/(\d+)\.html$/.exec(path);
        if (page) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return res.end(articleHtml(h * 1000 + Number(page[1])));
        }
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      };
      setTimeout(answer, latencyMs);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    origins.push(`http://127.0.0.1:${server.address().port}`);
    servers.push(server);
  }

  /** Per host, the gaps between consecutive request starts (ms), in arrival order. */
  const gapsByHost = () => {
    const out = new Map();
    for (let h = 0; h < hosts; h++) {
      const starts = log.filter((r) => r.host === h).map((r) => r.at);
      out.set(h, starts.slice(1).map((t, i) => t - starts[i]));
    }
    return out;
  };

  return {
    origins,
    log,
    gapsByHost,
    /** Smallest start-to-start gap on any host (Infinity with < 2 requests per host). */
    minGap: () => Math.min(...[...gapsByHost().values()].flat()),
    /** Requests in flight, max and time-weighted mean; `pages`: page requests only. */
    inFlight: (which = 'all') => (which === 'pages' ? pagesOnly : all).read(),
    close: () =>
      Promise.all(
        servers.map((s) => new Promise((resolve) => {
          s.closeAllConnections?.();
          s.close(() => resolve());
        })),
      ),
  };
}

/** Requests in flight over time: the max, and the mean from the first arrival to the last answer. */
function inFlightGauge() {
  let now = 0;
  let max = 0;
  let area = 0; // integral of requests in flight over time (ms)
  let lastChange = 0;
  let firstAt = null;
  let lastEnd = null;
  return {
    change(delta) {
      const t = performance.now();
      if (firstAt === null) firstAt = t;
      else area += now * (t - lastChange);
      lastChange = t;
      now += delta;
      max = Math.max(max, now);
      if (delta < 0) lastEnd = t;
    },
    read: () => ({ max, mean: firstAt === null || lastEnd === null || lastEnd <= firstAt ? 0 : area / (lastEnd - firstAt) }),
  };
}

// Run as a process of its own (bench-crawl.mjs): the servers then stamp arrivals on an event
// loop the crawler does not share. argv[2]: JSON options; prints {"origins": [...]}, and on
// the stdin line "report" prints {"all", "pages", "minGap"} and exits.
if (process.argv[1] === (await import('node:url')).fileURLToPath(import.meta.url)) {
  const server = await startPoliteHosts(JSON.parse(process.argv[2]));
  console.log(JSON.stringify({ origins: server.origins }));
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'report') continue;
    console.log(JSON.stringify({ all: server.inFlight(), pages: server.inFlight('pages'), minGap: server.minGap(), smallest: smallestGap(server.log) }));
    await server.close();
    process.exit(0);
  }
}

/** Where the smallest start-to-start gap was: host, the two paths, the gap. */
function smallestGap(log) {
  const last = new Map();
  let best = null;
  for (const r of log) {
    const prev = last.get(r.host);
    if (prev && (!best || r.at - prev.at < best.gap)) best = { host: r.host, from: prev.path, to: r.path, gap: Math.round((r.at - prev.at) * 10) / 10 };
    last.set(r.host, r);
  }
  return best;
}
