/**
 * MinHash over word shingles of folded text: the hashing half of near-duplicate
 * detection (the index is in near-dup.ts).
 *
 * Folding: NFKC, then `searchFold` (alef variants, ى→ي, ة→ه, diacritics,
 * tatweel, Arabic-Indic/Persian digits), then lower case. While scanning, the
 * spelling variants outlets disagree on are also folded: the hamza seats ؤ and
 * ئ to ء (Egyptian مسئول, شئون = مسؤول, شؤون elsewhere), and the
 * Persian-keyboard ی→ي and ک→ك.
 *
 * Tokens: a word is a run of letters, digits and combining marks; apostrophes
 * and invisible format characters (ZWNJ, bidi marks, soft hyphen) inside it
 * are dropped, so "don't" = "dont" and Persian "می‌خواهم" = "میخواهم";
 * everything else (spaces, punctuation, symbols) separates words. Scripts
 * written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar)
 * make each character a token of its own, so there a "word shingle" is a
 * character n-gram and mixed text needs no per-document mode switch.
 *
 * Shingles: every run of `shingleSize` consecutive tokens, hashed to 32 bits
 * (FNV-1a per token, combined and finalised with murmur3's fmix32). A number
 * is one token even with a decimal or thousands separator inside ("84.60",
 * "1,500", "٢١٫٢٥") and also adds `numberWeight` features of its own (see
 * featureSet). A document is the *set* of its distinct feature hashes.
 *
 * Signature: one-permutation MinHash with `numHashes` bins (minhashInto). The
 * hash constants are fixed, so stored signatures stay comparable across
 * runs; changing `shingleSize`,
 * `numberWeight` or `numHashes` (or SIGNATURE_VERSION) changes the parameter
 * tag and the index refuses to mix them.
 */
import { searchFold } from '../stages/normalize/index.js';

/** Bump when tokenising or hashing changes: old stored signatures then no longer match. */
export const SIGNATURE_VERSION = 1;

const SEP = 0; // separates tokens
const WORD = 1; // part of a word
const SOLO = 2; // a token on its own (scripts without spaces)
const SKIP = 3; // dropped, the word goes on (apostrophe, ZWNJ, bidi marks)
const UNKNOWN = 255;

const SOLO_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const JOINING = /[\p{Cf}'’]/u;

// Character kinds learned on first sight. Surrogates (astral letters) count as word characters.
const kinds = new Uint8Array(0x10000).fill(UNKNOWN);

function kindOf(c: number): number {
  const known = kinds[c]!;
  if (known !== UNKNOWN) return known;
  let kind: number;
  if (c >= 0xd800 && c <= 0xdfff) kind = WORD;
  else {
    const ch = String.fromCharCode(c);
    kind = SOLO_SCRIPTS.test(ch) ? SOLO : WORD_CHAR.test(ch) ? WORD : JOINING.test(ch) ? SKIP : SEP;
  }
  kinds[c] = kind;
  return kind;
}

/** Spelling variants searchFold keeps apart but near-duplicate matching should not. */
function foldLetter(c: number): number {
  switch (c) {
    case 0x0624: // ؤ
    case 0x0626: // ئ
      return 0x0621; // ء: مسؤول / مسئول, شؤون / شئون
    case 0x06cc: // ی
      return 0x064a; // ي
    case 0x06a9: // ک
      return 0x0643; // ك
    default:
      return c;
  }
}

/** The folded form the shingles are taken from. */
export function foldForShingles(text: string): string {
  return searchFold(text.normalize('NFKC')).toLowerCase();
}

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// Reused between calls: feature hashes of the current document.
let scratch = new Uint32Array(8192);
let scratchLength = 0;

function push(h: number): void {
  if (scratchLength === scratch.length) {
    const grown = new Uint32Array(scratchLength * 2);
    grown.set(scratch);
    scratch = grown;
  }
  scratch[scratchLength++] = h;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Separators inside a number (1,500 / 84.60 / ٢١٫٢٥ / ٬): kept in the number token. */
const isNumberSeparator = (c: number): boolean => c === 0x2e || c === 0x2c || c === 0x066b || c === 0x066c;

/**
 * Numbers that tell stories apart get the extra weight: not single digits
 * (list items, "2 people", a 2-1 score's every goal) and not years 1900–2099
 * (every story of the year has them).
 */
const isDistinctiveNumber = (digits: number, value: number, separated: boolean): boolean =>
  digits >= 2 && (separated || digits !== 4 || value < 1900 || value > 2099);

export interface FeatureSet {
  /** Distinct feature hashes, sorted; a view on a buffer the next call reuses: copy it to keep it. */
  features: Uint32Array;
  /** How many word shingles the text has (counting repeats): what "too short" is judged on. */
  shingles: number;
}

/**
 * The features of `text`: its distinct word-shingle hashes plus, for each
 * distinct number in it (see isDistinctiveNumber), `numberWeight` extra
 * features. Numbers ("84.60",
 * "2-1", "745") are what two versions of one story nearly always share and
 * two template stories (the daily oil report, two match reports of one
 * match day) nearly never do, so weighting them makes the set similarity
 * of a rewrite rise and that of a same-template story fall.
 */
export function featureSet(text: string, shingleSize: number, numberWeight: number): FeatureSet {
  const s = foldForShingles(text);
  const size = Math.max(1, shingleSize | 0);
  const weight = Math.max(0, numberWeight | 0);
  const ring = new Uint32Array(size);
  let tokens = 0;
  scratchLength = 0;

  const emit = (token: number, numeric: boolean): void => {
    if (numeric) for (let w = 1; w <= weight; w++) push(fmix32(Math.imul(token, 0x9e3779b1) + Math.imul(w, 0x632be5ab)));
    ring[tokens % size] = token;
    tokens++;
    if (tokens < size) return;
    let x = size;
    for (let j = tokens - size; j < tokens; j++) x = Math.imul(((x << 13) | (x >>> 19)) ^ ring[j % size]!, 0x9e3779b1);
    push(fmix32(x));
  };

  let h = FNV_OFFSET;
  let inWord = false;
  let digitsOnly = true;
  let digits = 0;
  let value = 0;
  let separated = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const kind = kindOf(c);
    if (kind === WORD) {
      h = Math.imul(h ^ foldLetter(c), FNV_PRIME);
      if (isDigit(c)) {
        digits++;
        value = Math.min(value * 10 + (c - 0x30), 1e9);
      } else digitsOnly = false;
      inWord = true;
    } else if (inWord && digitsOnly && isNumberSeparator(c) && isDigit(s.charCodeAt(i + 1))) {
      separated = true; // 84.60 is one number, not 84 and 60
    } else if (kind !== SKIP) {
      if (inWord) emit(h, digitsOnly && isDistinctiveNumber(digits, value, separated));
      inWord = false;
      digitsOnly = true;
      digits = 0;
      value = 0;
      separated = false;
      h = FNV_OFFSET;
      if (kind === SOLO) emit(Math.imul(FNV_OFFSET ^ c, FNV_PRIME), false);
    }
  }
  if (inWord) emit(h, digitsOnly && isDistinctiveNumber(digits, value, separated));

  const sorted = scratch.subarray(0, scratchLength).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  return { features: sorted.subarray(0, distinct), shingles: Math.max(0, tokens - size + 1) };
}

// Reused between calls: which bins got a feature.
let filledScratch = new Uint8Array(256);

/**
 * Writes into `out[0..k)` the one-permutation MinHash of the feature set
 * (Li, Owen & Zhang 2012) with optimal densification (Shrivastava 2017):
 * each feature falls into one of k bins by its top bits, a bin keeps the
 * minimum of a second hash of its features, and an empty bin copies the
 * value of the first non-empty bin on a probe sequence that depends only on
 * the bin number (so two documents probe alike). Equal bins estimate the
 * Jaccard resemblance as classic k-hash MinHash does, at O(n + k) instead of
 * O(n·k) per document. `features` must not be empty.
 */
export function minhashInto(features: Uint32Array, k: number, out: Uint32Array): void {
  const n = features.length;
  out.fill(0xffffffff, 0, k);
  const filled = filledScratch.length >= k ? filledScratch : (filledScratch = new Uint8Array(k));
  filled.fill(0, 0, k);
  for (let s = 0; s < n; s++) {
    const x = features[s]!;
    const bin = Math.floor(((x >>> 16) * k) / 65536);
    const v = fmix32(x ^ 0x2545f491);
    if (v < out[bin]!) out[bin] = v;
    filled[bin] = 1;
  }
  if (n === 0) return;
  for (let i = 0; i < k; i++) {
    if (filled[i]) continue;
    for (let attempt = 1; ; attempt++) {
      const j = Math.floor(((fmix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) >>> 16) * k) / 65536);
      if (filled[j]) {
        out[i] = out[j]!;
        break;
      }
    }
  }
}
/** Fraction of equal slots in `a[0..k)` and `b[bOffset..bOffset+k)`: the MinHash estimate of Jaccard similarity. */
export function matchingSlots(a: Uint32Array, b: Uint32Array, bOffset: number, k: number): number {
  let same = 0;
  for (let i = 0; i < k; i++) if (a[i] === b[bOffset + i]) same++;
  return same / k;
}

/**
 * The score clustering uses, from the fraction j of equal MinHash values
 * (which estimates the Jaccard resemblance |A∩B|/|A∪B|) and the feature
 * counts a, b: the mean of that resemblance and the containment of the
 * smaller set in the larger, |A∩B|/min(a,b), with |A∩B| estimated as
 * j(a+b)/(1+j). Containment lets a short version match the full report;
 * averaging with resemblance keeps a short text that shares a paragraph with
 * a long different story from scoring as a copy of it.
 */
export function blendSimilarity(j: number, a: number, b: number): number {
  if (j >= 1) return 1;
  if (j <= 0) return 0;
  const shared = (j * (a + b)) / (1 + j);
  const containment = Math.min(1, shared / Math.max(1, Math.min(a, b)));
  return (j + containment) / 2;
}
