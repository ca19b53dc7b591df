/**
 * A loopback site whose every route a test sets and changes between runs:
 * path → a fixed answer or a handler. Unknown paths answer 404. Every
 * request is logged (path, start time, User-Agent) for politeness checks.
 * Article pages come from articlePage() (news-site.ts), each with enough
 * distinct text to pass as an article.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { articlePage } from './news-site.js';

export type Answer = { status?: number; body?: string | Buffer; type?: string; headers?: Record<string, string> };
export type Route = Answer | ((req: IncomingMessage, res: ServerResponse) => void);

export interface RouteSite {
  origin: string;
  routes: Map<string, Route>;
  log: Array<{ path: string; at: number; userAgent: string | undefined }>;
  /** Set `/robots.txt`, a sitemap of `paths` at `/sitemap.xml`, and an article at each path. */
  articles(paths: string[]): void;
  sitemap(paths: string[], at?: string): void;
  close(): Promise<void>;
}

const WORDS = ['river', 'council', 'harbour', 'market', 'station', 'garden', 'library', 'bridge', 'festival', 'school', 'museum', 'valley'];

/** A distinct article for a path: a few paragraphs with words picked from the path, so texts differ. */
export function articleFor(path: string): string {
  let h = 0;
  for (const c of path) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const w = (i: number): string => WORDS[(h + i * 7) % WORDS.length]!;
  const para = (i: number): string =>
    `The ${w(i)} near the ${w(i + 1)} was reopened on Tuesday after a long repair, officials said, and residents of the ${w(i + 2)} district welcomed the news at a meeting held in the old ${w(i + 3)} hall (${path}, part ${i}).`;
  return articlePage(`Story ${path}: the ${w(0)} and the ${w(1)}`, [0, 1, 2, 3, 4].map(para));
}

export async function startRouteSite(): Promise<RouteSite> {
  const routes = new Map<string, Route>();
  const log: RouteSite['log'] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    log.push({ path, at: Date.now(), userAgent: req.headers['user-agent'] });
    const route = routes.get(path) ?? routes.get(path.split('?')[0]!);
    if (typeof route === 'function') return route(req, res);
    const a: Answer = route ?? { status: 404, body: 'not found', type: 'text/plain' };
    res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'text/html; charset=utf-8', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const site: RouteSite = {
    origin,
    routes,
    log,
    sitemap(paths, at = '/sitemap.xml') {
      const urls = paths.map((p) => `<url><loc>${p.startsWith('http') ? p : origin + p}</loc></url>`).join('');
      routes.set(at, { body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`, type: 'application/xml' });
    },
    articles(paths) {
      routes.set('/robots.txt', { body: 'User-agent: *\nAllow: /\n', type: 'text/plain' });
      for (const p of paths) routes.set(p, { body: articleFor(p) });
      site.sitemap(paths);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return site;
}
