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
import { bucketAdd, bucketFirst, createBucketTable } from './lsh-table.js';
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
  checkOptions(opts);
  const k = opts.numHashes;
  const bands = Math.max(1, Math.min(Math.floor(opts.bands), k));
  const rows = Math.floor(k / bands);
  const tag = signatureTag(opts);
  const { threshold } = opts;

  // Per stored article: k 16-bit fingerprints of its MinHash values (two
  // different values agree by chance 1 time in 65,536: no visible bias, half
  // the memory and cache traffic of full values) and its feature count.
  let prints = new Uint16Array(k * 256);
  let sizes = new Uint32Array(256);
  let stamps = new Int32Array(256);
  let query = 0;
  let comparisons = 0;
  const ids: string[] = [];
  const clusters: string[] = [];
  const byId = new Map<string, number>();
  const table = createBucketTable(bands * 256);
  const keys = new Int32Array(bands);
  const probe = new Uint16Array(k);

  const check = (sig: Signature): void => {
    if (sig.length !== k + 2 || sig[k + 1] !== tag) {
      throw new Error('near-dup: signature made with other parameters (shingleSize, numberWeight or numHashes changed); recompute it');
    }
  };

  /** Band keys and fingerprints of `sig` into `keys` / `probe`. */
  const prepare = (sig: Signature): void => {
    for (let b = 0; b < bands; b++) {
      let h = fmix32(Math.imul(b + 1, 0x9e3779b1));
      for (let r = b * rows; r < (b + 1) * rows; r++) h = fmix32(h ^ sig[r]!);
      keys[b] = h | 0;
    }
    for (let i = 0; i < k; i++) probe[i] = sig[i]! & 0xffff;
  };

  const store = (id: string, clusterId: string, featureCount: number): void => {
    const doc = ids.length;
    if (doc === sizes.length) {
      const grownPrints = new Uint16Array(prints.length * 2);
      grownPrints.set(prints);
      prints = grownPrints;
      const grownSizes = new Uint32Array(sizes.length * 2);
      grownSizes.set(sizes);
      sizes = grownSizes;
      const grownStamps = new Int32Array(stamps.length * 2);
      grownStamps.set(stamps);
      stamps = grownStamps;
    }
    prints.set(probe, doc * k);
    sizes[doc] = featureCount;
    ids.push(id);
    clusters.push(clusterId);
    byId.set(id, doc);
    for (let b = 0; b < bands; b++) bucketAdd(table, keys[b]!, doc);
  };

  return {
    add(articleId: string, sig: Signature): ClusterMatch {
      check(sig);
      const known = byId.get(articleId);
      if (known !== undefined) return { clusterId: clusters[known]!, similarTo: null, similarity: 1 };
      prepare(sig);
      query++;
      const size = sig[k]!;
      let best = -1;
      let bestSim = 0;
      let compared = 0;
      const entries = table.entries;
      for (let b = 0; b < bands; b++) {
        const key = keys[b]!;
        let scanned = 0;
        for (let e = bucketFirst(table, key); e >= 0 && scanned < MAX_BUCKET_SCAN; e = entries[e * 3 + 2]!) {
          if (entries[e * 3] !== key) continue;
          scanned++;
          const doc = entries[e * 3 + 1]!;
          if (stamps[doc] === query) continue;
          stamps[doc] = query;
          compared++;
          let same = 0;
          for (let i = 0, off = doc * k; i < k; i++) if (probe[i] === prints[off + i]) same++;
          const s = blendSimilarity(same / k, size, sizes[doc]!);
          if (s > bestSim || (s === bestSim && best >= 0 && doc < best)) {
            bestSim = s;
            best = doc;
          }
        }
      }
      comparisons += compared;
      const joins = best >= 0 && bestSim >= threshold;
      const clusterId = joins ? clusters[best]! : articleId;
      store(articleId, clusterId, size);
      return { clusterId, similarTo: joins ? ids[best]! : null, similarity: bestSim };
    },
    restore(articleId: string, clusterId: string, sig: Signature): void {
      check(sig);
      if (byId.has(articleId)) return;
      prepare(sig);
      store(articleId, clusterId, sig[k]!);
    },
    get size(): number {
      return ids.length;
    },
    get comparisons(): number {
      return comparisons;
    },
  };
}
