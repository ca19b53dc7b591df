import { describe, expect, it } from 'vitest';
import { isNgramView, ngramView, packNgrams } from '../../../src/stages/normalize/packed-ngrams.js';

const table = {
  ' th': { 11: 120, 17: 6 },
  'the ': { 11: 207 },
  'ال': { 1: 90, 15: 80, 30: 70, 56: 60 },
  ' xyz': {},
};

describe('packNgrams / ngramView', () => {
  const view = ngramView(packNgrams(table));

  it('answers each n-gram with the same language scores, keys in ascending order', () => {
    for (const [key, scores] of Object.entries(table)) expect(view[key]).toEqual(scores);
    expect(Object.keys(view['ال']!)).toEqual(['1', '15', '30', '56']);
  });

  it('answers undefined for an unknown n-gram, also for names an object would inherit', () => {
    expect(view['zzzz']).toBeUndefined();
    expect(view['constructor']).toBeUndefined();
    expect(view['toString']).toBeUndefined();
    expect('the ' in view).toBe(true);
    expect('zzzz' in view).toBe(false);
  });

  it('is read-only and hands out fresh objects (a caller cannot corrupt the table)', () => {
    view[' th']![11] = 0;
    expect(view[' th']).toEqual({ 11: 120, 17: 6 });
    expect(Reflect.set(view, 'new', { 1: 1 })).toBe(false);
    expect(Reflect.deleteProperty(view, 'the ')).toBe(false);
    expect(view['new']).toBeUndefined();
  });

  it('marks views, so a table is packed once', () => {
    expect(isNgramView(view)).toBe(true);
    expect(isNgramView(table)).toBe(false);
  });

  it('refuses a language index or score that does not fit a byte', () => {
    expect(() => packNgrams({ ab: { 300: 5 } })).toThrow(RangeError);
    expect(() => packNgrams({ ab: { 3: 256 } })).toThrow(/does not fit a byte/);
    expect(() => packNgrams({ ab: { 3: 1.5 } })).toThrow(RangeError);
  });
});
