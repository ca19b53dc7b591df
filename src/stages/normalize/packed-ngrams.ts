/**
 * ELD's n-gram database, packed. ELD ships it as one object holding ~50,000
 * small objects (n-gram → { language index: score }): ~28 MB of heap in every
 * thread that loads it, and since V8 lets a heap grow in proportion to what is
 * live, each clean worker carried ~50 MB more than its pages need
 * (docs/benchmarks.md). Packed into a Map of n-gram numbers and three typed
 * arrays it takes ~4 MB. `ngramView` puts ELD's own shape back on top, building the
 * small object for an n-gram only when detection looks it up, so ELD's
 * scoring code runs unchanged.
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

/** Answers true on a view: a module evaluated again (test runners do) finds the table already packed. */
const IS_VIEW = Symbol.for('newsclean.packed-ngrams');
export const isNgramView = (table: NgramTable): boolean => (table as Record<symbol, unknown>)[IS_VIEW] === true;

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
    get: (_target, key) => (typeof key === 'string' ? lookup(key) : key === IS_VIEW),
    has: (_target, key) => typeof key === 'string' && numbers.has(key),
    set: () => false,
    deleteProperty: () => false,
  });
}
