#!/usr/bin/env node
// Discovery documents at the protocol's limits: a generated sitemap of 50,000
// URLs (percent-encoded Arabic slugs, lastmod and Google News tags, ~45 MB),
// parsed the way the crawl did before (the whole body decoded to one string,
// then a tree: decodeHtml + parseXmlTree) and the way it does now
// (readSitemapBytes: decoded and parsed by 1 MiB chunks, entries streamed out).
// Each way runs in a fresh process, so peak RSS is its own. Prints wall and CPU time, peak
// RSS, heap in use after a GC with the entries still held, and the URLs read.
//
//   npm run bench:discovery
//   BENCH_DISCOVERY_URLS=30000 npm run bench:discovery
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = 'https://akhbar-alwadi.example/sitemap.xml';
const [mode, file] = process.argv.slice(2);
if (mode === 'tree' || mode === 'stream') await measure(mode, file);
else main();

function main() {
  const count = Number(process.env.BENCH_DISCOVERY_URLS ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-discovery-'));
  try {
    const file = join(dir, 'sitemap.xml');
    writeFileSync(file, sitemap(count));
    const mb = readFileSync(file).length / 1e6;
    console.log(`node ${process.version}; a ${count}-URL sitemap of ${mb.toFixed(1)} MB; each way in a fresh process`);
    console.log('way'.padEnd(8), 'ms'.padStart(7), 'CPU ms'.padStart(7), 'peak RSS MB'.padStart(12), 'heap after MB'.padStart(13), 'RSS over bytes MB'.padStart(18), 'urls'.padStart(7));
    const self = fileURLToPath(import.meta.url);
    for (const way of ['tree', 'stream']) {
      const out = execFileSync(process.execPath, ['--expose-gc', self, way, file], { encoding: 'utf8' });
      const r = JSON.parse(out);
      console.log(way.padEnd(8), String(r.ms).padStart(7), String(r.cpuMs).padStart(7), r.peakRssMb.toFixed(0).padStart(12), r.heapMb.toFixed(0).padStart(13), r.overMb.toFixed(0).padStart(18), String(r.urls).padStart(7));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sitemap(count) {
  const words = ['الحكومة', 'تعلن', 'خطة', 'جديدة', 'لتطوير', 'النقل', 'العام', 'في', 'المدن', 'الكبرى', 'خلال', 'السنوات', 'المقبلة'];
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'];
  for (let i = 0; i < count; i++) {
    const slug = encodeURIComponent(Array.from({ length: 15 }, (_, k) => words[(i + k) % words.length]).join('-'));
    parts.push(
      `<url><loc>https://akhbar-alwadi.example/ar/2026/12/04/${slug}-${i}</loc><lastmod>2026-12-04T10:00:00+03:00</lastmod>` +
        `<news:news><news:publication><news:name>أخبار الوادي</news:name><news:language>ar</news:language></news:publication>` +
        `<news:publication_date>2026-12-04T09:00:00+03:00</news:publication_date><news:title>${words[i % words.length]} ${i} &amp; ${words[(i + 3) % words.length]}</news:title></news:news></url>\n`,
    );
  }
  parts.push('</urlset>\n');
  return parts.join('');
}

async function measure(way, file) {
  const { decodeHtml } = await import('../dist/shared/decode.js');
  const { parseXmlTree } = await import('../dist/stages/fetch/discover/xml-tree.js');
  const { readSitemapBytes } = await import('../dist/stages/fetch/discover/sitemaps.js');
  const { normalizeFeedDate } = await import('../dist/stages/fetch/discover/feed-dates.js');
  const x = await import('../dist/stages/fetch/discover/xml.js');
  const bytes = readFileSync(file); // what the fetcher hands over
  global.gc();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let held;
  let urls = 0;
  if (way === 'tree') {
    // Before: one decoded string, then the whole tree, then parseSitemap's walk over it (as it was, from the helpers still in dist).
    // In a function of its own, so the string and the tree are garbage once it returns, as they were once parseSitemap returned.
    held = treeWay(bytes, (html) => treeSitemap(x, parseXmlTree, normalizeFeedDate, html), decodeHtml);
    urls = held.length;
  } else {
    held = [];
    const summary = await readSitemapBytes(bytes, 'application/xml', BASE, {
      url: (item) => held.push(item),
      sitemap: () => {},
    });
    urls = summary.urls;
  }
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  global.gc();
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  const peakRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  process.stdout.write(JSON.stringify({ ms, cpuMs, peakRssMb, heapMb, overMb: peakRssMb - rssBefore / 1e6, urls, keep: held ? 1 : 0 }));
}

function treeWay(bytes, parse, decodeHtml) {
  return parse(decodeHtml({ source: 'sitemap.xml', url: BASE, bytes, contentType: 'application/xml' }).html);
}

/** parseSitemap for a <urlset> before the streaming reader (commit dcd15e7), on the tree. */
function treeSitemap(x, parseXmlTree, normalizeFeedDate, text) {
  const core = x.plainOr(x.NS.sitemap, x.NS.googleSitemap);
  const news = x.inNs(x.NS.news);
  const root = parseXmlTree(x.stripPreamble(text)).children.find((n) => n.type === 'tag' && x.localName(n) === 'urlset');
  return x.uniqueByUrl(
    x.kids(root, 'url', core).map((entry) => {
      const loc = x.kid(entry, 'loc', core);
      const url = loc ? x.resolveHttp(x.xmlText(loc), x.baseOf(loc, BASE)) : null;
      if (url === null) return null;
      const newsEl = x.kid(entry, 'news', news);
      return {
        url,
        published: normalizeFeedDate(x.xmlText(x.kid(newsEl, 'publication_date', news))) ?? normalizeFeedDate(x.xmlText(x.kid(entry, 'lastmod', core))),
        title: x.feedItemTitle(x.xmlText(x.kid(newsEl, 'title', news)), false),
        via: 'sitemap',
      };
    }),
  );
}
