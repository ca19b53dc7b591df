#!/usr/bin/env node
// Extraction speed benchmark over ../shared/datasets/extraction-dev:
// full extraction (decode → clean → normalize → record) per page, beside a bare
// htmlparser2 parse of the same pages (the floor), plus peak RSS.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'htmlparser2';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pagesDir = join(resolve(process.env.NEWSCLEAN_SHARED ?? join(repo, '..', 'shared')), 'datasets', 'extraction-dev', 'pages');
if (!existsSync(pagesDir)) {
  console.error(`bench:speed: ${pagesDir} not found; the evaluation data lives in ../shared beside the repo.`);
  process.exit(2);
}
const { createContext, processPage } = await import(join(repo, 'dist', 'stages', 'pipeline.js'));
const { defaultConfig } = await import(join(repo, 'dist', 'config', 'schema.js'));
const ctx = createContext(defaultConfig());

const files = readdirSync(pagesDir).sort();
const pages = files.map((f) => ({ source: f, url: null, bytes: readFileSync(join(pagesDir, f)) }));
const totalMB = pages.reduce((n, p) => n + p.bytes.length, 0) / 1e6;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

let peakRss = process.memoryUsage().rss;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

function run(label, fn) {
  for (const p of pages) fn(p); // warm-up
  const perPage = new Array(pages.length).fill(Infinity);
  let total = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    pages.forEach((p, i) => {
      const s = process.hrtime.bigint();
      fn(p);
      perPage[i] = Math.min(perPage[i], Number(process.hrtime.bigint() - s) / 1e6);
      if (i % 50 === 0) sampleRss();
    });
    total = Math.min(total, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const sorted = [...perPage].sort((a, b) => a - b);
  const q = (x) => sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))];
  console.log(`${label.padEnd(22)} ${(pages.length / total).toFixed(1).padStart(7)} pages/s  ${(total * 1000 / pages.length).toFixed(2).padStart(6)} ms/page mean  p50 ${q(0.5).toFixed(2)} ms  p95 ${q(0.95).toFixed(2)} ms  (best of ${ROUNDS}: ${total.toFixed(2)} s)`);
  return total;
}

console.log(`${pages.length} pages, ${totalMB.toFixed(1)} MB, node ${process.version}`);
const bare = run('htmlparser2 parse', (p) => parseDocument(p.bytes.toString('utf8')));
let articles = 0;
const full = run('newsclean extraction', (p) => {
  if (processPage(p, ctx).ok) articles++;
});
sampleRss();
console.log(`extraction / bare parse: ${(full / bare).toFixed(2)}x (target <= 3x)`);
console.log(`peak RSS: ${(peakRss / 1048576).toFixed(0)} MB (all ${pages.length} pages held in memory as bytes: ${totalMB.toFixed(0)} MB)`);

// Whole processes, as a user runs them: `newsclean extract` over the folder
// (start-up, reading, extraction, writing to /dev/null) against a process that
// only reads and parses the same pages; and extract on an empty folder, which
// is the start-up alone. Median of WHOLE_RUNS (default 3) runs each, alternated.
const WHOLE_RUNS = Number(process.env.BENCH_WHOLE_RUNS ?? 3);
const cli = join(repo, 'dist', 'cli.js');
const empty = mkdtempSync(join(tmpdir(), 'newsclean-empty-'));
const wall = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { startup: [], extract: [], bare: [] };
// extract --threads N beside them (BENCH_THREADS, default 2; 0 or 1 leaves it out): the default stays one thread.
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
times.threaded = [];
for (let i = 0; i < WHOLE_RUNS; i++) {
  times.startup.push(wall([cli, 'extract', empty, '-o', '/dev/null']));
  times.extract.push(wall([cli, 'extract', pagesDir, '-o', '/dev/null']));
  times.bare.push(wall([join(repo, 'scripts', 'lib', 'bare-parse.mjs'), pagesDir]));
  if (THREADS > 1) times.threaded.push(wall([cli, 'extract', pagesDir, '--threads', String(THREADS), '-o', '/dev/null']));
}
rmSync(empty, { recursive: true, force: true });
const [su, ex, br] = [median(times.startup), median(times.extract), median(times.bare)];
console.log(`whole process (median of ${WHOLE_RUNS}): extract ${ex.toFixed(2)} s, read + bare parse ${br.toFixed(2)} s: ${(ex / br).toFixed(2)}x (target <= 2.5x); start-up (extract on an empty folder) ${su.toFixed(2)} s (target <= 0.25 s)`);
console.log(`per page in process: ${(full / bare).toFixed(2)}x the bare parse (target <= 2x)`);
if (THREADS > 1) console.log(`whole process with --threads ${THREADS} (median of ${WHOLE_RUNS}): extract ${median(times.threaded).toFixed(2)} s: ${(median(times.threaded) / br).toFixed(2)}x the read + bare parse (the one-thread figure above is the comparison that counts)`);
