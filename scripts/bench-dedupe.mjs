#!/usr/bin/env node
// Near-duplicate benchmark (issue 5). Needs the compiled code: npm run build.
// 1. Quality on the labelled fixture set tests/fixtures/near-dup/stories.json:
//    pairwise precision / recall / F1 of the clusters against the true story
//    groups, at the shipped options (config dedupe.nearDuplicates), in file order and
//    averaged over 20 seeded arrival orders (online clustering depends on the
//    order), plus a threshold sweep and a few neighbouring settings.
// 2. Speed: clustering NEWSCLEAN_DEDUPE_N (default 100,000) synthetic articles
//    on one thread (scripts/lib/cluster-bench.mjs), with memory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(repo, 'dist', 'dedupe', 'index.js'))) {
  console.error('bench:dedupe: dist/dedupe/index.js missing; run `npm run build` first.');
  process.exit(2);
}
const { createNearDupIndex, signatureOf } = await import('../dist/dedupe/index.js');
const { defaultConfig } = await import('../dist/config/schema.js');
const { enabled: _enabled, ...NEAR_DUP_DEFAULTS } = defaultConfig().dedupe.nearDuplicates; // the shipped defaults
const { clusterBenchmark } = await import('./lib/cluster-bench.mjs');

const stories = JSON.parse(readFileSync(join(repo, 'tests', 'fixtures', 'near-dup', 'stories.json'), 'utf8'));
const ORDERS = 20;

function shuffled(n, seed) {
  const order = [...Array(n).keys()];
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = Math.floor((s / 2 ** 32) * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function pairwise(order, opts, sigs) {
  const index = createNearDupIndex(opts);
  const cluster = new Map();
  for (const i of order) {
    const s = stories[i];
    cluster.set(s.id, sigs[i] ? index.add(s.id, sigs[i]).clusterId : s.id);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const falseMerges = [];
  for (let i = 0; i < stories.length; i++) {
    for (let j = i + 1; j < stories.length; j++) {
      const same = stories[i].group === stories[j].group;
      const merged = cluster.get(stories[i].id) === cluster.get(stories[j].id);
      if (same && merged) tp++;
      else if (merged) {
        fp++;
        falseMerges.push(`${stories[i].id}~${stories[j].id}`);
      } else if (same) fn++;
    }
  }
  return { precision: tp / (tp + fp || 1), recall: tp / (tp + fn), falseMerges };
}

function evaluate(opts) {
  const sigs = stories.map((s) => signatureOf(s.text, opts));
  const inOrder = pairwise([...stories.keys()], opts, sigs);
  let precision = 0;
  let recall = 0;
  let worstPrecision = 1;
  const merges = new Set();
  for (let seed = 1; seed <= ORDERS; seed++) {
    const r = pairwise(shuffled(stories.length, seed), opts, sigs);
    precision += r.precision / ORDERS;
    recall += r.recall / ORDERS;
    worstPrecision = Math.min(worstPrecision, r.precision);
    for (const m of r.falseMerges) merges.add(m);
  }
  return { inOrder, precision, recall, worstPrecision, merges: [...merges] };
}

const f1 = (p, r) => (p + r ? (2 * p * r) / (p + r) : 0);
const fmt = (x) => x.toFixed(3);
const groups = new Set(stories.map((s) => s.group));
const langs = [...new Set(stories.map((s) => s.lang))].map((l) => `${l} ${stories.filter((s) => s.lang === l).length}`).join(', ');

console.log(`Near-duplicate clustering, fixture set: ${stories.length} articles, ${groups.size} true stories (${langs})`);
console.log(`Options: ${JSON.stringify(NEAR_DUP_DEFAULTS)}`);
const chosen = evaluate(NEAR_DUP_DEFAULTS);
console.log(
  `At threshold ${NEAR_DUP_DEFAULTS.threshold}: file order P ${fmt(chosen.inOrder.precision)} R ${fmt(chosen.inOrder.recall)} F1 ${fmt(f1(chosen.inOrder.precision, chosen.inOrder.recall))}; ` +
    `mean of ${ORDERS} arrival orders P ${fmt(chosen.precision)} (worst ${fmt(chosen.worstPrecision)}) R ${fmt(chosen.recall)} F1 ${fmt(f1(chosen.precision, chosen.recall))}`,
);
if (chosen.merges.length) console.log(`  false merges seen: ${chosen.merges.slice(0, 8).join(', ')}`);

console.log(`\nThreshold sweep (mean of ${ORDERS} arrival orders):`);
console.log('threshold  precision  recall  F1     false merges');
for (let t = 0.2; t <= 0.5001; t += 0.025) {
  const r = evaluate({ ...NEAR_DUP_DEFAULTS, threshold: Number(t.toFixed(3)) });
  const mark = Math.abs(t - NEAR_DUP_DEFAULTS.threshold) < 1e-9 ? '  <- chosen' : '';
  console.log(`${t.toFixed(3).padEnd(11)}${fmt(r.precision).padEnd(11)}${fmt(r.recall).padEnd(8)}${fmt(f1(r.precision, r.recall)).padEnd(7)}${r.merges.slice(0, 2).join(', ')}${mark}`);
}

console.log(`\nNeighbouring settings (threshold ${NEAR_DUP_DEFAULTS.threshold}, mean of ${ORDERS} orders):`);
for (const change of [{ shingleSize: 1 }, { shingleSize: 3 }, { numberWeight: 0 }, { numberWeight: 3 }, { numHashes: 256, bands: 128 }, { bands: 32 }]) {
  const r = evaluate({ ...NEAR_DUP_DEFAULTS, ...change });
  console.log(`  ${JSON.stringify(change).padEnd(32)} P ${fmt(r.precision)} R ${fmt(r.recall)} F1 ${fmt(f1(r.precision, r.recall))}`);
}

const n = Number(process.env.NEWSCLEAN_DEDUPE_N ?? 100_000);
console.log(`\nClustering ${n.toLocaleString('en')} synthetic articles (one thread)...`);
const b = await clusterBenchmark(n);
console.log(
  `  ${b.articles.toLocaleString('en')} articles from ${b.stories.toLocaleString('en')} stories -> ${b.clusters.toLocaleString('en')} clusters in ${b.seconds.toFixed(1)} s ` +
    `(${Math.round(b.perSecond).toLocaleString('en')} articles/s; signatures ${b.signatureSeconds.toFixed(1)} s, index ${b.indexSeconds.toFixed(1)} s; ` +
    `${b.comparisonsPerArticle.toFixed(1)} candidate comparisons per article)`,
);
console.log(`  memory: +${b.heapMB.toFixed(0)} MB heap + array buffers at peak, ${b.retainedMB.toFixed(0)} MB retained by the index, rss ${b.rssMB.toFixed(0)} MB`);
console.log(`  synthetic pairwise P ${fmt(b.precision)} R ${fmt(b.recall)}`);
console.log(`  target: under 60 s on one core -> ${b.seconds < 60 ? 'met' : 'NOT met'}`);
