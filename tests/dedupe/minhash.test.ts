import { describe, expect, it } from 'vitest';
import { blendSimilarity, featureSet, matchingSlots, minhashInto } from '../../src/dedupe/minhash.js';
import { bucketAdd, bucketFirst, createBucketTable } from '../../src/dedupe/lsh-table.js';

const features = (text: string, shingleSize = 2, numberWeight = 0): number[] => Array.from(featureSet(text, shingleSize, numberWeight).features);

describe('featureSet', () => {
  it('ignores case, punctuation and invisible joiners', () => {
    expect(features('The Bank, said: “rates stay.”')).toEqual(features('the bank said rates stay'));
    expect(features('می‌خواهم بروم خانه')).toEqual(features('میخواهم بروم خانه'));
  });

  it('keeps a number with separators as one token and weights distinctive numbers only', () => {
    expect(features('price 84.60 dollars')).not.toEqual(features('price 84 60 dollars'));
    expect(featureSet('rose to 84.60 dollars', 2, 0).features.length).toBe(3);
    expect(featureSet('rose to 84.60 dollars', 2, 6).features.length).toBe(3 + 6);
    // Single digits and years get no extra weight.
    expect(featureSet('the 2 teams met in 2025 again', 2, 6).features.length).toBe(6);
    expect(featureSet('the 12 teams met in 2150 again', 2, 6).features.length).toBe(6 + 12);
  });

  it('makes every Han character a token', () => {
    const r = featureSet('地铁九号线', 2, 0);
    expect(r.shingles).toBe(4);
    expect(r.features.length).toBe(4);
  });

  it('counts shingles with repeats and features without', () => {
    const r = featureSet('a b a b a b', 2, 0);
    expect(r.shingles).toBe(5);
    expect(r.features.length).toBe(2);
  });
});

describe('one-permutation MinHash', () => {
  function sketch(set: number[], k = 128): Uint32Array {
    const out = new Uint32Array(k);
    minhashInto(Uint32Array.from(set).sort(), k, out);
    return out;
  }
  function randomSet(n: number, seed: number): number[] {
    let s = seed;
    return Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0));
  }

  it('estimates the Jaccard resemblance', () => {
    let squared = 0;
    const trials = 40;
    for (let t = 0; t < trials; t++) {
      const shared = randomSet(100, 1000 + t);
      const a = [...shared, ...randomSet(100, 2000 + t)];
      const b = [...shared, ...randomSet(100, 3000 + t)];
      const j = matchingSlots(sketch(a), sketch(b), 0, 128);
      squared += (j - 1 / 3) ** 2;
    }
    // Binomial standard error at J = 1/3 and k = 128 is 0.042.
    expect(Math.sqrt(squared / trials)).toBeLessThan(0.06);
    expect(matchingSlots(sketch(randomSet(150, 7)), sketch(randomSet(150, 8)), 0, 128)).toBeLessThan(0.05);
  });

  it('fills every bin even for a small set', () => {
    const out = sketch([12345, 67890], 64);
    expect(out.every((v) => v !== 0xffffffff)).toBe(true);
  });
});

describe('blendSimilarity', () => {
  it('is 1 for identical sets, 0 for disjoint ones, and credits a short text contained in a long one', () => {
    expect(blendSimilarity(1, 200, 200)).toBe(1);
    expect(blendSimilarity(0, 200, 200)).toBe(0);
    // 50 features all inside a 250-feature text: J = 0.2, containment 1.
    expect(blendSimilarity(0.2, 50, 250)).toBeCloseTo(0.6, 5);
    expect(blendSimilarity(0.2, 150, 150)).toBeCloseTo((0.2 + 1 / 3) / 2, 5);
  });
});

describe('LSH bucket table', () => {
  it('returns the entries of a key newest first, across growth', () => {
    const t = createBucketTable(16);
    for (let doc = 0; doc < 1000; doc++) bucketAdd(t, doc % 7 === 0 ? 0xdeadbeef : doc * 2654435761, doc);
    const found: number[] = [];
    const key = 0xdeadbeef | 0;
    for (let e = bucketFirst(t, 0xdeadbeef); e >= 0; e = t.entries[e * 3 + 2]!) if (t.entries[e * 3] === key) found.push(t.entries[e * 3 + 1]!);
    const expected = Array.from({ length: 143 }, (_, i) => (142 - i) * 7);
    expect(found).toEqual(expected);
  });
});
