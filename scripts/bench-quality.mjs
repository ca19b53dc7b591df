#!/usr/bin/env node
// Extraction quality benchmark. Runs `newsclean extract` (the built CLI) over
// ../shared/datasets/extraction-dev and scores the with/without snippet metric
// of DEVELOPERS.md; then title exact-match on ../shared/datasets/readability-pages;
// then ../shared/datasets/fundus-dev as its README scores it (body shingle F1,
// title exact, authors set F1, same-day date), in process with each page's URL.
//
//   npm run bench:quality                 the figures
//   npm run bench:quality -- --worst 15   also the 15 fundus-dev pages with the lowest body F1, and every title/author/date miss
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { authorsF1, bodyScore, sameDay, summarize, titleMatch } from './lib/fundus-score.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.NEWSCLEAN_SHARED ?? join(repo, '..', 'shared'));
const devDir = join(shared, 'datasets', 'extraction-dev');
const readDir = join(shared, 'datasets', 'readability-pages');
const fundusDir = join(shared, 'datasets', 'fundus-dev');
const worstArg = process.argv.indexOf('--worst');
const worst = worstArg >= 0 ? Number(process.argv[worstArg + 1] ?? 10) : 0;
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

// 3) fundus-dev: body, title, authors, date against gold
if (existsSync(fundusDir)) {
  const { createContext, processPage } = await import(join(repo, 'dist', 'stages', 'pipeline.js'));
  const { defaultConfig } = await import(join(repo, 'dist', 'config', 'schema.js'));
  const ctx = createContext(defaultConfig());
  const gold = JSON.parse(readFileSync(join(fundusDir, 'gold.json'), 'utf8'));
  const rows = [];
  const t0 = process.hrtime.bigint();
  for (const [id, g] of Object.entries(gold)) {
    const bytes = gunzipSync(readFileSync(join(fundusDir, 'pages', `${id}.html.gz`)));
    const o = processPage({ source: `${id}.html`, url: g.url, bytes, contentType: 'text/html; charset=utf-8' }, ctx, new Date(g.crawl_date.replace(' ', 'T') + 'Z'));
    const r = o.ok ? o.record : null;
    rows.push({
      id, lang: r?.lang ?? null, reject: o.ok ? null : o.reject.code,
      body: bodyScore(r?.text ?? '', g.body), title: titleMatch(r?.title ?? '', g.title),
      authors: authorsF1(r?.authors ?? [], g.authors), date: sameDay(r?.published_at ?? null, g.date),
      got: { title: r?.title ?? null, authors: r?.authors ?? [], date: r?.published_at ?? null }, gold: g,
    });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const f = summarize(rows);
  const rejected = rows.filter((r) => r.reject);
  console.log(`fundus-dev: ${f.pages} pages, ${rejected.length} rejects${rejected.length ? ' ' + JSON.stringify(Object.fromEntries(rejected.map((r) => [r.id, r.reject]))) : ''}, ${seconds.toFixed(1)} s`);
  console.log(`  body F1 ${f.body.f1.toFixed(4)} (P ${f.body.precision.toFixed(4)} R ${f.body.recall.toFixed(4)})  title ${f.title}/${f.pages}  authors ${f.authors.toFixed(4)} (${f.authorPages} pages)  date ${f.date}/${f.datePages}`);
  console.log('  (2026-12-04, the set\'s README: trafilatura 2.2 body 0.946, title 92, authors 0.778, date 122; targets body >= 0.97, title >= 90 %, authors >= 0.87, date >= 98 %)');
  if (worst > 0) {
    const f1 = (b) => (b.precision + b.recall ? (2 * b.precision * b.recall) / (b.precision + b.recall) : 0);
    console.log(`\n  worst ${worst} by body F1 (P / R):`);
    for (const r of [...rows].sort((a, b) => f1(a.body) - f1(b.body)).slice(0, worst)) {
      console.log(`    ${f1(r.body).toFixed(3)} (${r.body.precision.toFixed(2)} / ${r.body.recall.toFixed(2)})  ${r.id}  ${r.lang ?? ''}${r.reject ? '  ' + r.reject : ''}`);
    }
    console.log('\n  title misses (got | gold):');
    for (const r of rows.filter((x) => !x.title)) console.log(`    ${r.id}: ${JSON.stringify(r.got.title)} | ${JSON.stringify(r.gold.title)}`);
    console.log('\n  author misses, F1 < 1 (got | gold):');
    for (const r of rows.filter((x) => x.authors !== null && x.authors < 1)) console.log(`    ${r.authors.toFixed(2)} ${r.id}: ${JSON.stringify(r.got.authors)} | ${JSON.stringify(r.gold.authors)}`);
    console.log('\n  date misses (got | gold):');
    for (const r of rows.filter((x) => x.date === false)) console.log(`    ${r.id}: ${r.got.date} | ${r.gold.date}`);
  }
} else {
  console.log(`fundus-dev: ${fundusDir} not found, skipped`);
}
rmSync(tmp, { recursive: true, force: true });
