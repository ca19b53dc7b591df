#!/usr/bin/env node
// WARC benchmark (issue 23): a WARC of generated article pages (the crawl
// benchmark's pages, scripts/lib/generated-site.mjs; 5,000 by default, one
// gzip member per record, written by newsclean's own WARC writer as a crawl
// with --warc writes it: request + response pairs) read by newsclean:
// records/s for reading alone (src/shared/warc.ts, in process) and for
// reading + extraction (`newsclean extract FILE.warc.gz`, whole process),
// beside `newsclean extract` over the same pages as files in a folder.
// Target: extraction from WARC within 10 % of extraction from the files.
//
//   npm run bench:warc
//   BENCH_WARC_PAGES=20000 BENCH_WARC_RUNS=5 npm run bench:warc
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleHtml, articlePath } from './lib/generated-site.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = Number(process.env.BENCH_WARC_PAGES ?? 5000);
const RUNS = Number(process.env.BENCH_WARC_RUNS ?? 3);
const tmp = mkdtempSync(join(tmpdir(), 'nc-bench-warc-'));
const folder = join(tmp, 'pages');
mkdirSync(folder);

// The archive and the folder hold the same page bytes.
const { openWarcWriter } = await import(join(repo, 'dist', 'stages', 'export', 'index.js'));
const writer = await openWarcWriter(join(tmp, 'warc'), { prefix: 'bench', maxBytes: 1e12, info: { software: 'newsclean bench:warc' } });
const writeStarted = process.cpuUsage();
for (let n = 1; n <= PAGES; n++) {
  const html = Buffer.from(articleHtml(n));
  const target = articlePath(n);
  await writer.write({
    url: `https://news.example.org${target}`, date: new Date(Date.UTC(2026, 11, 4)), ip: '192.0.2.1',
    request: { method: 'GET', target, headers: [['User-Agent', 'newsclean bench'], ['Accept', 'text/html']] },
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', String(html.length)]], body: html, truncated: null },
  });
  writeFileSync(join(folder, `${String(n).padStart(6, '0')}.html`), html);
}
const writeCpu = process.cpuUsage(writeStarted);
await writer.close();
const warc = writer.files()[0];
console.log(`writing (newsclean's WARC writer, with the page files beside it): ${((writeCpu.user + writeCpu.system) / 1000 / PAGES).toFixed(2)} ms CPU per page`);
console.log(`${PAGES} pages: WARC ${(statSync(warc).size / 1e6).toFixed(1)} MB (gzip per record); node ${process.version}`);

const { readWarc } = await import(join(repo, 'dist', 'shared', 'warc.js'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cli = join(repo, 'dist', 'cli.js');
const wall = (args) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
};

const read = [];
const fromWarc = [];
const fromFiles = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  let n = 0;
  for await (const item of readWarc(warc, { maxBytes: 50_000_000 })) if ('raw' in item) n++;
  if (n !== PAGES) throw new Error(`read ${n} pages of ${PAGES}`);
  read.push((performance.now() - t0) / 1000);
  // Alternated, so a busy minute on the machine weighs on both.
  fromWarc.push(wall(['extract', warc, '-o', '/dev/null']));
  fromFiles.push(wall(['extract', folder, '-o', '/dev/null']));
}
const [r, w, f] = [median(read), median(fromWarc), median(fromFiles)];
console.log(`reading alone (in process):       ${(PAGES / r).toFixed(0).padStart(6)} records/s  (${r.toFixed(2)} s, median of ${RUNS})`);
console.log(`extract FILE.warc.gz (process):   ${(PAGES / w).toFixed(0).padStart(6)} records/s  (${w.toFixed(2)} s)`);
console.log(`extract FOLDER of the same pages: ${(PAGES / f).toFixed(0).padStart(6)} pages/s    (${f.toFixed(2)} s)`);
console.log(`extraction from WARC / from files: ${(w / f).toFixed(3)}x (target <= 1.10x)`);
rmSync(tmp, { recursive: true, force: true });
