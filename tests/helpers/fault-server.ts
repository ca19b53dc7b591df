/**
 * A loopback fault-injection news server for crawl integration tests. Each
 * route sets one trap a real server can spring; every request is logged with
 * its start time so tests can check the politeness delays.
 *
 *   /robots.txt                 Disallow: /private/, Crawl-delay (configurable)
 *   /ok/<n>.html                a generated article (scripts/lib/generated-site.mjs)
 *   /flaky/<n>.html             500, 500, then the article
 *   /busy.html                  429 with Retry-After: 1, then the article
 *   /busy-date.html             503 with an HTTP-date Retry-After, then the article
 *   /slow.html                  answers after `slowMs` (longer than the test's timeout)
 *   /reset.html                 the connection is destroyed before any answer
 *   /truncated.html             Content-Length promises more than is sent
 *   /huge.html                  an endless body with no Content-Length
 *   /loop-a.html ↔ /loop-b.html redirect loop
 *   /moved.html                 301 to /ok/1.html
 *   /private/secret.html        disallowed by robots.txt
 *   /legacy.html                windows-1256 bytes, no charset anywhere
 *   /wrong-meta.html            UTF-8 bytes with <meta charset="windows-1256">
 *   /image.png                  image/png
 *   /gone.html                  404
 *   /feed.xml, /sitemap.xml     discovery for /ok/ pages
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
// @ts-expect-error: plain ESM helper shared with the benchmark scripts
import { articleHtml } from '../../scripts/lib/generated-site.mjs';

export interface FaultServer {
  origin: string;
  /** Every request: path and start time (ms). */
  log: Array<{ path: string; at: number; userAgent: string | undefined }>;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  crawlDelaySeconds?: number;
  slowMs?: number;
  /** /ok/ pages listed in the feed and the sitemap: 1..okPages. */
  okPages?: number;
}

const html = (n: number): string => (articleHtml as (n: number) => string)(n);

export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const { crawlDelaySeconds = 0, slowMs = 3000, okPages = 3 } = opts;
  const hits = new Map<string, number>();
  const log: FaultServer['log'] = [];
  const sockets = new Set<import('node:net').Socket>();

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    log.push({ path, at: Date.now(), userAgent: req.headers['user-agent'] });
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const origin = `http://${req.headers.host}`;
    const ok = /^\/ok\/(\d+)\.html$/.exec(path);
    const flaky = /^\/flaky\/(\d+)\.html$/.exec(path);
    if (path === '/robots.txt') return send(res, 200, `User-agent: *\nDisallow: /private/\n${crawlDelaySeconds ? `Crawl-delay: ${crawlDelaySeconds}\n` : ''}`, 'text/plain');
    if (ok) return send(res, 200, html(Number(ok[1])));
    if (flaky) return n <= 2 ? send(res, 500, 'oops') : send(res, 200, html(Number(flaky[1]) + 100));
    switch (path) {
      case '/busy.html':
        return n === 1 ? send(res, 429, 'slow down', 'text/plain', { 'retry-after': '1' }) : send(res, 200, html(201));
      case '/busy-date.html':
        return n === 1 ? send(res, 503, 'busy', 'text/plain', { 'retry-after': new Date(Date.now() + 1000).toUTCString() }) : send(res, 200, html(202));
      case '/slow.html':
        setTimeout(() => send(res, 200, html(203)), slowMs).unref();
        return;
      case '/reset.html':
        req.socket.destroy();
        return;
      case '/truncated.html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '50000' });
        res.write(html(204).slice(0, 200));
        setTimeout(() => req.socket.destroy(), 20).unref();
        return;
      case '/huge.html': {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      case '/loop-a.html':
        return send(res, 302, '', 'text/plain', { location: '/loop-b.html' });
      case '/loop-b.html':
        return send(res, 302, '', 'text/plain', { location: '/loop-a.html' });
      case '/moved.html':
        return send(res, 301, '', 'text/plain', { location: '/ok/1.html' });
      case '/private/secret.html':
        return send(res, 200, html(205));
      case '/legacy.html':
        return send(res, 200, iconv.encode(html(206).replace('<meta charset="utf-8">', ''), 'windows-1256'), 'text/html');
      case '/wrong-meta.html':
        return send(res, 200, Buffer.from(html(208).replace('<meta charset="utf-8">', '<meta charset="windows-1256">'), 'utf8'), 'text/html');
      case '/image.png':
        return send(res, 200, Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
      case '/feed.xml': {
        const items = Array.from({ length: okPages }, (_, i) => `<item><title>Story ${i + 1}</title><link>${origin}/ok/${i + 1}.html</link><pubDate>Mon, 12 Oct 2026 09:00:00 +0300</pubDate></item>`);
        return send(res, 200, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items.join('')}</channel></rss>`, 'application/rss+xml');
      }
      case '/sitemap.xml': {
        const urls = Array.from({ length: okPages }, (_, i) => `<url><loc>${origin}/ok/${i + 1}.html</loc></url>`);
        return send(res, 200, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`, 'application/xml');
      }
      default:
        return send(res, 404, 'not found', 'text/plain');
    }
  };

  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
