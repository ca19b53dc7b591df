#!/usr/bin/env node
// Extraction quality benchmark. Runs `newsclean extract` (the built CLI) over
// ../shared/datasets/extraction-dev and scores the with/without snippet metric
// of DEVELOPERS.md; then title exact-match on ../shared/datasets/readability-pages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.NEWSCLEAN_SHARED ?? join(repo, '..', 'shared'));
const devDir = join(shared, 'datasets', 'extraction-dev');
const readDir = join(shared, 'datasets', 'readability-pages');
const cli = join(repo, 'dist', 'cli.js');

if (!existsSync(devDir)) {
  console.error(`bench:quality: ${devDir} not found; the evaluation data lives in ../shared beside the repo (set NEWSCLEAN_SHARED to point elsewhere).`);
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error('bench:quality: dist/cli.js missing; run `npm run build` first.');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'newsclean-bench-'));
const readJsonl = (p) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

/** Run the CLI; returns {records by source basename or path, rejects}. */
function extract(args, tag) {
  const out = join(tmp, `${tag}.jsonl`);
  const rej = join(tmp, `${tag}.rejects.jsonl`);
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, [cli, 'extract', ...args, '-o', out, '--rejects', rej], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { records: readJsonl(out), rejects: readJsonl(rej), seconds };
}

const ws = (s) => s.replace(/\s+/g, ' ').trim();

// 1) snippet metric on extraction-dev
const annotations = JSON.parse(readFileSync(join(devDir, 'annotations.json'), 'utf8'));
const dev = extract([join(devDir, 'pages')], 'dev');
const textByFile = new Map(dev.records.map((r) => [basename(r.source), ws(r.text)]));
let tp = 0, fn = 0, fp = 0;
for (const a of Object.values(annotations)) {
  const text = textByFile.get(a.file) ?? '';
  for (const s of a.with) if (ws(s)) (text.includes(ws(s)) ? tp++ : fn++);
  for (const s of a.without) if (ws(s) && text.includes(ws(s))) fp++;
}
const P = tp / (tp + fp);
const R = tp / (tp + fn);
const F1 = (2 * tp) / (2 * tp + fp + fn);
const codes = {};
for (const r of dev.rejects) codes[r.code] = (codes[r.code] ?? 0) + 1;
const crashes = dev.rejects.filter((r) => r.code === 'EXTRACT_FAILED').length;

console.log(`extraction-dev: ${Object.keys(annotations).length} pages, ${dev.records.length} articles, ${dev.rejects.length} rejects ${JSON.stringify(codes)}, ${dev.seconds.toFixed(1)} s`);
console.log(`  tp=${tp} fn=${fn} fp=${fp}`);
console.log(`  precision ${P.toFixed(4)}  recall ${R.toFixed(4)}  F1 ${F1.toFixed(4)}  (target >= 0.93; trafilatura 2.2.0: 0.924 on the full set)`);
console.log(`  pages crashing (EXTRACT_FAILED): ${crashes}`);

// 2) title exact match on readability-pages
if (existsSync(readDir)) {
  const cases = readdirSync(readDir).filter((d) => existsSync(join(readDir, d, 'source.html'))).sort();
  const rd = extract(cases.map((d) => join(readDir, d, 'source.html')), 'readability');
  const titleBySource = new Map(rd.records.map((r) => [basename(dirname(r.source)), r.title]));
  let total = 0, exact = 0;
  for (const d of cases) {
    const expected = JSON.parse(readFileSync(join(readDir, d, 'expected-metadata.json'), 'utf8')).title;
    if (!expected) continue;
    total++;
    if (ws(titleBySource.get(d) ?? '') === ws(expected)) exact++;
  }
  console.log(`readability-pages: title exact match ${exact}/${total} = ${(exact / total).toFixed(4)} (${rd.records.length} articles, ${rd.rejects.length} rejects)`);
} else {
  console.log(`readability-pages: ${readDir} not found, title check skipped`);
}
rmSync(tmp, { recursive: true, force: true });
