// Near-duplicate clustering benchmark on synthetic articles, reusable by
// bench:dedupe and bench:state. Needs the compiled code (npm run build).
//
// Corpus: base stories of ~250 words drawn from a Zipf-distributed vocabulary
// of 30,000 invented Arabic-script words (so common words and bigrams recur
// across stories as in real text), ~3% numbers; each base story is published
// 1–5 times (itself plus 0–4 variants: sentences dropped, swapped and
// reworded, an outlet's intro/outro line, or cut to a short brief). Articles
// arrive interleaved (shuffled within windows of 2,000, like a crawl).
// Timed: signatureOf + index.add for every article, single thread; text
// generation is excluded. Memory: growth of V8 heap + array buffers
// (signatures, LSH tables) over the run, at its end and after a GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defaultConfig } from '../../dist/config/schema.js';
import { createNearDupIndex, signatureOf } from '../../dist/dedupe/index.js';

const { enabled: _enabled, ...NEAR_DUP_DEFAULTS } = defaultConfig().dedupe.nearDuplicates; // the shipped defaults

/** A GC function for the memory figures, also when node runs without --expose-gc. */
function collector() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc');
  } catch {
    return () => {};
  }
}

const VOCAB = 30_000;
const LETTERS = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';

/** mulberry32: small seeded PRNG, so runs are repeatable. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeVocabulary(rand) {
  const words = new Array(VOCAB);
  const seen = new Set();
  for (let i = 0; i < VOCAB; ) {
    const len = 2 + Math.floor(rand() * 6);
    let w = rand() < 0.3 ? 'ال' : '';
    for (let j = 0; j < len; j++) w += LETTERS[Math.floor(rand() * LETTERS.length)];
    if (seen.has(w)) continue;
    seen.add(w);
    words[i++] = w;
  }
  const cdf = new Float64Array(VOCAB);
  let sum = 0;
  for (let i = 0; i < VOCAB; i++) cdf[i] = sum += 1 / Math.pow(i + 1, 1.05);
  for (let i = 0; i < VOCAB; i++) cdf[i] /= sum;
  return { words, cdf };
}

function zipfWord(vocab, rand) {
  const x = rand();
  let lo = 0;
  let hi = VOCAB - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (vocab.cdf[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return vocab.words[lo];
}

const number = (rand) => (rand() < 0.3 ? `${Math.floor(rand() * 100)}.${Math.floor(rand() * 100)}` : String(Math.floor(rand() * 5000)));
const token = (vocab, rand) => (rand() < 0.03 ? number(rand) : zipfWord(vocab, rand));

function sentence(vocab, rand, min, max) {
  const n = min + Math.floor(rand() * (max - min + 1));
  const words = [];
  for (let i = 0; i < n; i++) words.push(token(vocab, rand));
  return words;
}

/** A base story: ~250 words in sentences of 12–30 words. */
function baseStory(vocab, rand) {
  const sentences = [];
  let words = 0;
  while (words < 250) {
    const s = sentence(vocab, rand, 12, 30);
    sentences.push(s);
    words += s.length;
  }
  return sentences;
}

/** Another outlet's version of a base story. */
function variant(story, vocab, rand) {
  let sentences = story.filter(() => rand() > 0.15).map((s) => s.filter(() => rand() > 0.03).map((w) => (rand() < 0.08 ? token(vocab, rand) : w)));
  for (let i = 0; i + 1 < sentences.length; i++) {
    if (rand() < 0.2) [sentences[i], sentences[i + 1]] = [sentences[i + 1], sentences[i]];
  }
  if (rand() < 0.15) sentences = sentences.slice(0, Math.max(2, Math.ceil(sentences.length * 0.35)));
  if (rand() < 0.5) sentences.unshift(sentence(vocab, rand, 8, 15));
  if (rand() < 0.5) sentences.push(sentence(vocab, rand, 8, 15));
  return sentences;
}

const render = (sentences) => sentences.map((s) => s.join(' ') + '.').join('\n\n');

const pairs = (n) => (n * (n - 1)) / 2;
const memory = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
};

/**
 * Clusters `n` synthetic articles and returns the time and memory it took.
 * `opts` overrides the shipped defaults (config dedupe.nearDuplicates). Also returns pairwise precision/recall
 * of the clusters against the true base stories.
 */
export async function clusterBenchmark(n = 100_000, opts = {}, seed = 20240505) {
  const options = { ...NEAR_DUP_DEFAULTS, ...opts };
  const rand = prng(seed);
  const vocab = makeVocabulary(rand);

  // Plan: base stories with 0–4 variants until n articles, interleaved by window shuffles.
  const plan = [];
  const stories = [];
  while (plan.length < n) {
    const id = stories.length;
    stories.push(baseStory(vocab, rand));
    const copies = 1 + Math.floor(rand() * 5);
    for (let v = 0; v < copies && plan.length < n; v++) plan.push([id, v]);
  }
  const WINDOW = 2000;
  for (let start = 0; start < plan.length; start += WINDOW) {
    const end = Math.min(plan.length, start + WINDOW);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(rand() * (i - start + 1));
      [plan[i], plan[j]] = [plan[j], plan[i]];
    }
  }

  const gc = collector();
  gc();
  const before = memory();
  const index = createNearDupIndex(options);
  const clusterOf = new Map();
  let signatureNs = 0n;
  let indexNs = 0n;
  let short = 0;
  for (let i = 0; i < plan.length; i++) {
    const [story, v] = plan[i];
    const text = render(v === 0 ? stories[story] : variant(stories[story], vocab, rand));
    const t0 = process.hrtime.bigint();
    const sig = signatureOf(text, options);
    const t1 = process.hrtime.bigint();
    const id = `a${i}`;
    const cluster = sig ? index.add(id, sig).clusterId : id;
    const t2 = process.hrtime.bigint();
    signatureNs += t1 - t0;
    indexNs += t2 - t1;
    if (!sig) short++;
    const cell = `${cluster}\u0000${story}`;
    clusterOf.set(cell, (clusterOf.get(cell) ?? 0) + 1);
  }
  const after = memory();
  gc();
  const retained = memory();

  // Pairwise precision/recall from the (cluster, story) contingency table.
  const byCluster = new Map();
  const byStory = new Map();
  let truePositives = 0;
  for (const [cell, count] of clusterOf) {
    const [cluster, story] = cell.split('\u0000');
    truePositives += pairs(count);
    byCluster.set(cluster, (byCluster.get(cluster) ?? 0) + count);
    byStory.set(story, (byStory.get(story) ?? 0) + count);
  }
  let predicted = 0;
  for (const c of byCluster.values()) predicted += pairs(c);
  let actual = 0;
  for (const c of byStory.values()) actual += pairs(c);

  const seconds = Number(signatureNs + indexNs) / 1e9;
  return {
    articles: plan.length,
    stories: stories.length,
    clusters: byCluster.size,
    seconds,
    perSecond: plan.length / seconds,
    signatureSeconds: Number(signatureNs) / 1e9,
    indexSeconds: Number(indexNs) / 1e9,
    heapMB: (Math.max(after.heap, retained.heap) - before.heap) / 2 ** 20,
    retainedMB: (retained.heap - before.heap) / 2 ** 20,
    rssMB: after.rss / 2 ** 20,
    tooShort: short,
    precision: predicted ? truePositives / predicted : 1,
    recall: actual ? truePositives / actual : 1,
    indexSize: index.size,
    comparisonsPerArticle: index.comparisons / plan.length,
  };
}
