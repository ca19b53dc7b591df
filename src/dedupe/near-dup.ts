/**
 * Near-duplicate detection across sources (issue 5): versions of one story
 * (a wire story rewritten by five outlets, a short brief and the full
 * report) get one `cluster_id`.
 *
 * Method: MinHash signatures over word-bigram shingles of folded text plus
 * weighted number features (minhash.ts), looked up through LSH banding
 * (`bands` bands of numHashes/bands rows; two articles are compared only if
 * some band is identical), scored by `similarityOf` and clustered online: a
 * new article joins the cluster of its most similar earlier article when
 * that similarity reaches `threshold`, else it starts a cluster of its own.
 * Thresholds and the measured precision/recall are in
 * tests/fixtures/near-dup/README.md.
 *
 * Signature layout (Uint32Array, numHashes + 2 words): the numHashes MinHash
 * values, the number of distinct features of the text, then a tag of the
 * parameters that shape the signature (shingleSize, numberWeight,
 * numHashes, SIGNATURE_VERSION). Bytes are the words little-endian.
 */
import { type BucketTable, bucketAdd, bucketFirst, createBucketTable } from './lsh-table.js';
import { SIGNATURE_VERSION, blendSimilarity, featureSet, fmix32, matchingSlots, minhashInto } from './minhash.js';

export { blendSimilarity };

/** Tunables; the caller passes them (the config schema holds the defaults). */
export interface NearDupOptions {
  /** Tokens per shingle: words, or characters in scripts written without spaces (Han, kana, Thai...). */
  shingleSize: number;
  /** Minimum `similarityOf` (0..1) for an article to join an earlier article's cluster. */
  threshold: number;
  /** MinHash values (one-permutation bins) per signature; at most 65,536. */
  numHashes: number;
  /** LSH bands of floor(numHashes / bands) rows each: more bands find less similar pairs, at more comparisons. */
  bands: number;
  /** Extra features per distinct number in the text (0: numbers count as words only). */
  numberWeight: number;
  /** A text with fewer word shingles than this gets no signature (too short to judge). */
  minShingles: number;
}

// Defaults live in the config schema (src/config/schema.ts, dedupe.nearDuplicates); tests/fixtures/near-dup/README.md has the sweep behind them.

/** Compact signature, serialisable for the state store through signatureToBytes / signatureFromBytes. */
export type Signature = Uint32Array;

export interface ClusterMatch {
  clusterId: string;
  /** The most similar earlier article, null when this one starts a new cluster. */
  similarTo: string | null;
  /** Similarity to `similarTo`; for a new cluster, the best similarity seen below the threshold (0 if none). */
  similarity: number;
}

export interface NearDupIndex {
  /**
   * Assign `articleId` to the cluster of its most similar earlier article (if above threshold) or to a new cluster whose id is articleId itself; remember it.
   * An id already in the index gets its known cluster back (similarTo null, similarity 1) and is not added again.
   * Throws when `sig` was made with other shingleSize / numberWeight / numHashes.
   */
  add(articleId: string, sig: Signature): ClusterMatch;
  /** Put back an article known from an earlier run (loaded from the state store) without searching. Ignored for an id already present. */
  restore(articleId: string, clusterId: string, sig: Signature): void;
  readonly size: number;
  /** Candidate signatures compared so far (diagnostics: the LSH's selectivity). */
  readonly comparisons: number;
}

/**
 * Compare at most this many articles per bucket, newest first. A bucket that
 * keeps filling holds a band value common to many texts (stock phrases):
 * comparing all of it costs time in proportion to the corpus and finds
 * nothing, while a real version shares several bands with its story and
 * the newest entries of a bucket filled by one much-republished story are
 * its own versions. On the synthetic 100k corpus 16 lost no recall against 128.
 */
const MAX_BUCKET_SCAN = 16;

function checkOptions(opts: NearDupOptions): void {
  if (!Number.isInteger(opts.numHashes) || opts.numHashes < 1 || opts.numHashes > 65536) throw new RangeError(`near-dup: numHashes must be an integer in 1..65536, got ${opts.numHashes}`);
  if (!Number.isInteger(opts.shingleSize) || opts.shingleSize < 1) throw new RangeError(`near-dup: shingleSize must be a positive integer, got ${opts.shingleSize}`);
}

/** Tag of the parameters a signature depends on; signatures with different tags are not comparable. */
export function signatureTag(opts: NearDupOptions): number {
  let h = fmix32(0x6e647570 ^ SIGNATURE_VERSION);
  h = fmix32(h ^ opts.shingleSize);
  h = fmix32(h ^ Math.max(0, opts.numberWeight | 0));
  return fmix32(h ^ opts.numHashes);
}

/**
 * The signature of an article's text, or null when the text has fewer than
 * `minShingles` word shingles (about minShingles + shingleSize - 1 words; in
 * Chinese/Japanese/Thai, characters): too short to tell a version of a story
 * from another story that shares a phrase.
 */
export function signatureOf(text: string, opts: NearDupOptions): Signature | null {
  checkOptions(opts);
  const { features, shingles } = featureSet(text, opts.shingleSize, opts.numberWeight);
  if (shingles < Math.max(1, opts.minShingles) || features.length === 0) return null;
  const k = opts.numHashes;
  const sig = new Uint32Array(k + 2);
  minhashInto(features, k, sig);
  sig[k] = features.length;
  sig[k + 1] = signatureTag(opts);
  return sig;
}

export function signatureToBytes(sig: Signature): Buffer {
  const out = Buffer.allocUnsafe(sig.length * 4);
  for (let i = 0; i < sig.length; i++) out.writeUInt32LE(sig[i]!, i * 4);
  return out;
}

export function signatureFromBytes(bytes: Buffer | Uint8Array): Signature {
  if (bytes.length % 4 !== 0 || bytes.length < 12) throw new RangeError(`near-dup: ${bytes.length} bytes is not a signature`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < sig.length; i++) sig[i] = view.getUint32(i * 4, true);
  return sig;
}

/** Similarity of two signatures (0..1, identical texts 1). Throws when they were made with different parameters. */
export function similarityOf(a: Signature, b: Signature): number {
  const k = a.length - 2;
  if (b.length !== a.length || a[k + 1] !== b[k + 1]) throw new Error('near-dup: signatures made with different parameters');
  return blendSimilarity(matchingSlots(a, b, 0, k), a[k]!, b[k]!);
}

export function createNearDupIndex(opts: NearDupOptions): NearDupIndex {
  const st = createIndexState(opts);
  return {
    add(articleId: string, sig: Signature): ClusterMatch {
      checkSignature(st, sig);
      const known = st.byId.get(articleId);
      if (known !== undefined) return { clusterId: st.clusters[known]!, similarTo: null, similarity: 1 };
      prepare(st, sig);
      const size = sig[st.k]!;
      const { best, bestSim } = mostSimilar(st, size);
      const joins = best >= 0 && bestSim >= st.threshold;
      const clusterId = joins ? st.clusters[best]! : articleId;
      storeArticle(st, articleId, clusterId, size);
      return { clusterId, similarTo: joins ? st.ids[best]! : null, similarity: bestSim };
    },
    restore(articleId: string, clusterId: string, sig: Signature): void {
      checkSignature(st, sig);
      if (st.byId.has(articleId)) return;
      prepare(st, sig);
      storeArticle(st, articleId, clusterId, sig[st.k]!);
    },
    get size(): number {
      return st.ids.length;
    },
    get comparisons(): number {
      return st.comparisons;
    },
  };
}

/** The index's data: the stored articles, the LSH table, and scratch space for the signature being looked up. */
interface IndexState {
  /** MinHash values per signature */
  k: number;
  bands: number;
  rows: number;
  tag: number;
  threshold: number;
  // Per stored article: k 16-bit fingerprints of its MinHash values (two
  // different values agree by chance 1 time in 65,536: no visible bias, half
  // the memory and cache traffic of full values) and its feature count.
  prints: Uint16Array;
  sizes: Uint32Array;
  /** per article, the last query that compared it (each article is compared once per query) */
  stamps: Int32Array;
  query: number;
  comparisons: number;
  ids: string[];
  clusters: string[];
  byId: Map<string, number>;
  table: BucketTable;
  /** band keys of the signature being looked up or stored */
  keys: Int32Array;
  /** its fingerprints */
  probe: Uint16Array;
}

function createIndexState(opts: NearDupOptions): IndexState {
  checkOptions(opts);
  const k = opts.numHashes;
  const bands = Math.max(1, Math.min(Math.floor(opts.bands), k));
  return {
    k,
    bands,
    rows: Math.floor(k / bands),
    tag: signatureTag(opts),
    threshold: opts.threshold,
    prints: new Uint16Array(k * 256),
    sizes: new Uint32Array(256),
    stamps: new Int32Array(256),
    query: 0,
    comparisons: 0,
    ids: [],
    clusters: [],
    byId: new Map(),
    table: createBucketTable(bands * 256),
    keys: new Int32Array(bands),
    probe: new Uint16Array(k),
  };
}

function checkSignature(st: IndexState, sig: Signature): void {
  if (sig.length !== st.k + 2 || sig[st.k + 1] !== st.tag) {
    throw new Error('near-dup: signature made with other parameters (shingleSize, numberWeight or numHashes changed); recompute it');
  }
}

/** Band keys and fingerprints of `sig` into `keys` / `probe`. */
function prepare(st: IndexState, sig: Signature): void {
  const { bands, rows, keys, probe } = st;
  for (let b = 0; b < bands; b++) {
    let h = fmix32(Math.imul(b + 1, 0x9e3779b1));
    for (let r = b * rows; r < (b + 1) * rows; r++) h = fmix32(h ^ sig[r]!);
    keys[b] = h | 0;
  }
  for (let i = 0; i < st.k; i++) probe[i] = sig[i]! & 0xffff;
}

/**
 * The most similar stored article to the prepared signature (feature count
 * `size`) among those sharing a band with it, and its similarity; -1 and 0
 * when none. Ties go to the earlier article.
 */
function mostSimilar(st: IndexState, size: number): { best: number; bestSim: number } {
  st.query++;
  const found = { best: -1, bestSim: 0 };
  for (let b = 0; b < st.bands; b++) scanBucket(st, st.keys[b]!, size, found);
  return found;
}

/** Compare the newest MAX_BUCKET_SCAN articles of one band's bucket, each at most once per query; keep the best in `found`. */
function scanBucket(st: IndexState, key: number, size: number, found: { best: number; bestSim: number }): void {
  const { entries } = st.table;
  let scanned = 0;
  for (let e = bucketFirst(st.table, key); e >= 0 && scanned < MAX_BUCKET_SCAN; e = entries[e * 3 + 2]!) {
    if (entries[e * 3] !== key) continue;
    scanned++;
    const doc = entries[e * 3 + 1]!;
    if (st.stamps[doc] === st.query) continue;
    st.stamps[doc] = st.query;
    st.comparisons++;
    const s = blendSimilarity(sameFingerprints(st, doc) / st.k, size, st.sizes[doc]!);
    if (s > found.bestSim || (s === found.bestSim && found.best >= 0 && doc < found.best)) {
      found.bestSim = s;
      found.best = doc;
    }
  }
}

/** How many of stored article `doc`'s fingerprints equal the probe's. */
function sameFingerprints(st: IndexState, doc: number): number {
  const { k, probe, prints } = st;
  let same = 0;
  for (let i = 0, off = doc * k; i < k; i++) if (probe[i] === prints[off + i]) same++;
  return same;
}

/** Remember an article under the prepared signature: its fingerprints, feature count, cluster, and an entry per band. */
function storeArticle(st: IndexState, id: string, clusterId: string, featureCount: number): void {
  const doc = st.ids.length;
  if (doc === st.sizes.length) growArrays(st);
  st.prints.set(st.probe, doc * st.k);
  st.sizes[doc] = featureCount;
  st.ids.push(id);
  st.clusters.push(clusterId);
  st.byId.set(id, doc);
  for (let b = 0; b < st.bands; b++) bucketAdd(st.table, st.keys[b]!, doc);
}

/** Double the per-article arrays. */
function growArrays(st: IndexState): void {
  const grownPrints = new Uint16Array(st.prints.length * 2);
  grownPrints.set(st.prints);
  st.prints = grownPrints;
  const grownSizes = new Uint32Array(st.sizes.length * 2);
  grownSizes.set(st.sizes);
  st.sizes = grownSizes;
  const grownStamps = new Int32Array(st.stamps.length * 2);
  grownStamps.set(st.stamps);
  st.stamps = grownStamps;
}
