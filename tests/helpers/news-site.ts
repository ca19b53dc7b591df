/**
 * A loopback news site whose pages a test can change between runs: each page
 * has an ETag and a Last-Modified and answers a matching conditional GET with
 * 304; pages can be made to fail (503) or be slow; /sitemap.xml lists them all.
 * Every request is logged with its conditional headers.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export interface NewsSite {
  origin: string;
  /** path → HTML; edit between runs. */
  pages: Map<string, string>;
  /** Paths that answer 503. */
  failing: Set<string>;
  /** Paths the sitemap lists; null: every page. */
  listed: Set<string> | null;
  log: Array<{ path: string; conditional: boolean; status: number }>;
  close(): Promise<void>;
}

const etagOf = (html: string): string => `"${createHash('sha1').update(html).digest('hex').slice(0, 12)}"`;
const LAST_MODIFIED = 'Mon, 02 Nov 2026 10:00:00 GMT';

export async function startNewsSite(opts: { delayMs?: number } = {}): Promise<NewsSite> {
  const pages = new Map<string, string>();
  const failing = new Set<string>();
  const log: NewsSite['log'] = [];
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      log.push({ path, conditional, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (path === '/robots.txt') return send(200, 'User-agent: *\nAllow: /\n', { 'content-type': 'text/plain' });
    if (path === '/sitemap.xml') {
      const urls = [...pages.keys()].filter((p) => site.listed === null || site.listed.has(p)).map((p) => `<url><loc>http://${req.headers.host}${p}</loc></url>`).join('');
      return send(200, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`, { 'content-type': 'application/xml' });
    }
    if (failing.has(path)) return send(503, 'down', { 'content-type': 'text/plain' });
    const html = pages.get(path);
    if (html === undefined) return send(404, 'not found', { 'content-type': 'text/plain' });
    const etag = etagOf(html);
    if (req.headers['if-none-match'] === etag) return send(304, '', { etag });
    send(200, html, { 'content-type': 'text/html; charset=utf-8', etag, 'last-modified': LAST_MODIFIED });
  };
  const server = createServer((req, res) => {
    if (opts.delayMs) setTimeout(() => answer(req, res), opts.delayMs);
    else answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const site: NewsSite = {
    origin: `http://127.0.0.1:${port}`,
    pages,
    failing,
    listed: null,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return site;
}

/** An article page of our own: a title, a byline, the given paragraphs, and some chrome to strip. */
export function articlePage(title: string, paragraphs: string[], lang = 'en'): string {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${title}</title>
<meta property="og:type" content="article"></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/x">Other story</a></li></ul></aside></main>
<footer>© Example Times</footer></body></html>`;
}
