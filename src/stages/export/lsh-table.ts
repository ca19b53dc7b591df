/**
 * The LSH bucket store for near-dup.ts: a multimap from a 32-bit band key to
 * article numbers, in typed arrays (a Map of arrays costs several times the
 * memory at millions of entries). Chained hashing: `heads[key & mask]` is the
 * newest entry of that slot, `next[e]` the one before it; a slot may hold
 * several keys, so readers compare `keys[e]` with theirs. Walking a chain
 * therefore yields the newest articles of a bucket first.
 */
export interface BucketTable {
  heads: Int32Array;
  keys: Uint32Array;
  docs: Int32Array;
  next: Int32Array;
  size: number;
}

export function createBucketTable(initialCapacity = 1024): BucketTable {
  let cap = 16;
  while (cap < initialCapacity) cap *= 2;
  return {
    heads: new Int32Array(cap).fill(-1),
    keys: new Uint32Array(cap),
    docs: new Int32Array(cap),
    next: new Int32Array(cap),
    size: 0,
  };
}

function grow(t: BucketTable): void {
  const cap = t.keys.length * 2;
  const keys = new Uint32Array(cap);
  keys.set(t.keys);
  const docs = new Int32Array(cap);
  docs.set(t.docs);
  t.keys = keys;
  t.docs = docs;
  t.next = new Int32Array(cap);
  t.heads = new Int32Array(cap).fill(-1);
  // Re-chain in insertion order so every chain stays newest-first.
  const mask = cap - 1;
  for (let e = 0; e < t.size; e++) {
    const slot = keys[e]! & mask;
    t.next[e] = t.heads[slot]!;
    t.heads[slot] = e;
  }
}

/** Files `doc` under `key`. */
export function bucketAdd(t: BucketTable, key: number, doc: number): void {
  if (t.size === t.keys.length) grow(t);
  const e = t.size++;
  const slot = key & (t.heads.length - 1);
  t.keys[e] = key;
  t.docs[e] = doc;
  t.next[e] = t.heads[slot]!;
  t.heads[slot] = e;
}

/** First entry of the chain that may hold `key` (-1 when empty); follow `t.next` and check `t.keys`. */
export function bucketFirst(t: BucketTable, key: number): number {
  return t.heads[key & (t.heads.length - 1)]!;
}
