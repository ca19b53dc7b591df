/**
 * The crawl benchmark's site, run as its own process: PAGES generated
 * articles (scripts/lib/generated-site.mjs), a sitemap index of 1,000-URL
 * sitemaps and a permissive robots.txt, on a loopback port printed on stdout.
 * Usage: node scripts/lib/bench-site-server.mjs PAGES
 */
import { createServer } from 'node:http';
import { articlePath, articlePieces, sitemapXml } from './generated-site.mjs';

const pages = Number(process.argv[2] ?? 10000);
const PER_SITEMAP = 1000;
const byPath = new Map();
for (let n = 0; n < pages; n++) byPath.set(articlePath(n), n);

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const origin = `http://${req.headers.host}`;
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  if (path === '/robots.txt') return send(200, 'text/plain', 'User-agent: *\nAllow: /\n');
  if (path === '/sitemap.xml') {
    const children = [];
    for (let i = 0; i * PER_SITEMAP < pages; i++) children.push(`<sitemap><loc>${origin}/sitemap-${i}.xml</loc></sitemap>`);
    return send(200, 'application/xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${children.join('')}</sitemapindex>`);
  }
  const sm = /^\/sitemap-(\d+)\.xml$/.exec(path);
  if (sm) {
    const from = Number(sm[1]) * PER_SITEMAP;
    return send(200, 'application/xml', sitemapXml(origin, from, Math.min(pages, from + PER_SITEMAP)));
  }
  const n = byPath.get(path);
  if (n !== undefined) {
    // The shared chrome goes out as prebuilt Buffers, and the page in one
    // write (corked: one writev), as a static file server sends a file.
    // Seven separate writes cost the crawl ~5 % in extra socket reads.
    const pieces = articlePieces(n).map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': pieces.reduce((a, p) => a + p.length, 0) });
    res.cork();
    for (const p of pieces) res.write(p);
    res.uncork();
    return res.end();
  }
  send(404, 'text/plain', 'not found');
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
