/**
 * ELD's n-gram database, packed. ELD ships it as one object holding ~50,000
 * small objects (n-gram → { language index: score }): ~28 MB of heap in every
 * thread that loads it, and since V8 lets a heap grow in proportion to what is
 * live, each clean worker carried ~50 MB more than its pages need
 * (docs/benchmarks.md). Packed into a Map of n-gram numbers and three typed
 * arrays it takes ~4 MB. `ngramView` puts ELD's own shape back on top,
 * building the small object for an n-gram only when detection looks it up,
 * so ELD's scoring code runs unchanged.
 */

/** ELD's format: n-gram → { language index: score } (indexes 0..59, scores 6..207 in the shipped databases). */
export type NgramTable = Record<string, Record<string, number> | undefined>;

export interface PackedNgrams {
  /** n-gram → its number i: its entries in `langs`/`scores` run from ends[i - 1] (0 for the first) to ends[i]. */
  numbers: Map<string, number>;
  ends: Uint32Array;
  langs: Uint8Array;
  scores: Uint8Array;
}

export function packNgrams(table: NgramTable): PackedNgrams {
  // for-in rather than Object.keys/entries: no arrays allocated per n-gram (this runs at every thread's start).
  let ngrams = 0;
  let total = 0;
  for (const key in table) {
    ngrams++;
    for (const _lang in table[key]) total++;
  }
  const packed: PackedNgrams = { numbers: new Map(), ends: new Uint32Array(ngrams), langs: new Uint8Array(total), scores: new Uint8Array(total) };
  let i = 0;
  let at = 0;
  for (const key in table) {
    const entry = table[key]!;
    packed.numbers.set(key, i);
    for (const lang in entry) {
      const l = Number(lang);
      const score = entry[lang]!;
      if (!(l >= 0 && l <= 255 && Number.isInteger(l)) || !(score >= 0 && score <= 255 && Number.isInteger(score))) {
        throw new RangeError(`n-gram ${JSON.stringify(key)}: language ${lang} score ${score} does not fit a byte`);
      }
      packed.langs[at] = l;
      packed.scores[at++] = score;
    }
    packed.ends[i++] = at;
  }
  return packed;
}

/** Held by a view: a module evaluated again (test runners do) finds the table already packed. */
const PACKED = Symbol.for('newsclean.packed-ngrams');
/** The packed data behind a view; null for a plain table. */
export const packedBehind = (table: NgramTable): PackedNgrams | null => ((table as Record<symbol, unknown>)[PACKED] as PackedNgrams | undefined) ?? null;

/**
 * A read-only object that answers `view[ngram]` as ELD's table would: a
 * fresh { language index: score } object, or undefined for an unknown n-gram.
 */
export function ngramView(packed: PackedNgrams): NgramTable {
  const { numbers, ends, langs, scores } = packed;
  const lookup = (key: string): Record<string, number> | undefined => {
    const i = numbers.get(key);
    if (i === undefined) return undefined;
    const entry: Record<string, number> = {};
    for (let j = i === 0 ? 0 : ends[i - 1]!; j < ends[i]!; j++) entry[langs[j]!] = scores[j]!;
    return entry;
  };
  return new Proxy({} as NgramTable, {
    get: (_target, key) => (typeof key === 'string' ? lookup(key) : key === PACKED ? packed : undefined),
    has: (_target, key) => typeof key === 'string' && numbers.has(key),
    set: () => false,
    deleteProperty: () => false,
  });
}

/** A packed database with what ELD's loader needs besides the n-grams. */
export interface PackedDatabase {
  type: string;
  languages: Record<string, string>;
  packed: PackedNgrams;
}

/**
 * The file form (written at build time, so a thread reads ~0.75 MB in ~25 ms
 * instead of importing and packing ELD's 1 MB module in ~300 ms): one JSON
 * header line, the n-grams as a JSON array, then `ends` (u32, little-endian),
 * `langs` and `scores`. `stamp` names the ELD build it came from.
 */
export function encodePacked(db: PackedDatabase, stamp: string): Buffer {
  const { numbers, ends, langs, scores } = db.packed;
  const keys = Buffer.from(JSON.stringify([...numbers.keys()]));
  const header = { format: 'newsclean-packed-ngrams/1', stamp, type: db.type, languages: db.languages, ngrams: ends.length, entries: langs.length, keyBytes: keys.length };
  const endBytes = Buffer.alloc(4 * ends.length);
  ends.forEach((end, i) => endBytes.writeUInt32LE(end, 4 * i));
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), keys, endBytes, langs, scores]);
}

/** The database in `bytes`, or null when they are not a complete file of this format for `stamp`. */
export function decodePacked(bytes: Buffer, stamp: string): PackedDatabase | null {
  try {
    const eol = bytes.indexOf(0x0a);
    const h = JSON.parse(bytes.toString('utf8', 0, eol)) as Record<string, unknown>;
    if (h['format'] !== 'newsclean-packed-ngrams/1' || h['stamp'] !== stamp) return null;
    const [n, total, keyBytes] = [h['ngrams'], h['entries'], h['keyBytes']].map(Number) as [number, number, number];
    let at = eol + 1;
    if (bytes.length !== at + keyBytes + 4 * n + 2 * total) return null;
    const keys = JSON.parse(bytes.toString('utf8', at, (at += keyBytes))) as string[];
    if (!Array.isArray(keys) || keys.length !== n) return null;
    const ends = new Uint32Array(n);
    for (let i = 0; i < n; i++, at += 4) ends[i] = bytes.readUInt32LE(at);
    const langs = new Uint8Array(bytes.subarray(at, (at += total)));
    const scores = new Uint8Array(bytes.subarray(at, (at += total)));
    const numbers = new Map<string, number>();
    keys.forEach((key, i) => numbers.set(key, i));
    if (n > 0 && ends[n - 1] !== total) return null;
    return { type: String(h['type']), languages: h['languages'] as Record<string, string>, packed: { numbers, ends, langs, scores } };
  } catch {
    return null;
  }
}
