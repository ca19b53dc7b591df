/**
 * The LSH bucket store for near-dup.ts: a multimap from a 32-bit band key to
 * article numbers, in typed arrays (a Map of arrays costs several times the
 * memory at millions of entries). Chained hashing: `heads[key & mask]` is the
 * newest entry of that slot and every entry is three int32s in `entries`
 * (key, article, previous entry of the slot), so one lookup step touches one
 * cache line. A slot may hold several keys: readers compare the key. Walking
 * a chain yields the newest articles of a bucket first.
 */
export interface BucketTable {
  heads: Int32Array;
  /** [key, doc, next] per entry. */
  entries: Int32Array;
  size: number;
}

export function createBucketTable(initialCapacity = 1024): BucketTable {
  let cap = 16;
  while (cap < initialCapacity) cap *= 2;
  return { heads: new Int32Array(cap).fill(-1), entries: new Int32Array(cap * 3), size: 0 };
}

function grow(t: BucketTable): void {
  const cap = t.heads.length * 2;
  const entries = new Int32Array(cap * 3);
  entries.set(t.entries);
  const heads = new Int32Array(cap).fill(-1);
  // Re-chain in insertion order so every chain stays newest-first.
  const mask = cap - 1;
  for (let e = 0; e < t.size; e++) {
    const slot = entries[e * 3]! & mask;
    entries[e * 3 + 2] = heads[slot]!;
    heads[slot] = e;
  }
  t.entries = entries;
  t.heads = heads;
}

/** Files `doc` under `key` (any 32-bit value). */
export function bucketAdd(t: BucketTable, key: number, doc: number): void {
  if (t.size === t.heads.length) grow(t);
  const e = t.size++;
  const slot = key & (t.heads.length - 1);
  t.entries[e * 3] = key;
  t.entries[e * 3 + 1] = doc;
  t.entries[e * 3 + 2] = t.heads[slot]!;
  t.heads[slot] = e;
}

/**
 * First entry of the chain that may hold `key` (-1 when empty). For entry e,
 * entries[3e] is its key (compare with `key | 0`), entries[3e + 1] the
 * article, entries[3e + 2] the next entry.
 */
export function bucketFirst(t: BucketTable, key: number): number {
  return t.heads[key & (t.heads.length - 1)]!;
}
