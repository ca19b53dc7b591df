import { describe, expect, it } from 'vitest';
import { decodePacked, encodePacked, ngramView, packNgrams, packedBehind } from '../../../src/stages/normalize/packed-ngrams.js';

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

  it('gives the packed data behind a view, so a table is packed once', () => {
    const packed = packNgrams(table);
    expect(packedBehind(ngramView(packed))).toBe(packed);
    expect(packedBehind(table)).toBeNull();
  });

  it('refuses a language index or score that does not fit a byte', () => {
    expect(() => packNgrams({ ab: { 300: 5 } })).toThrow(RangeError);
    expect(() => packNgrams({ ab: { 3: 256 } })).toThrow(/does not fit a byte/);
    expect(() => packNgrams({ ab: { 3: 1.5 } })).toThrow(RangeError);
  });
});

describe('encodePacked / decodePacked', () => {
  const db = { type: 'XS60', languages: { 0: 'am', 1: 'ar', 11: 'en' }, packed: packNgrams(table) };
  const bytes = encodePacked(db, 'eld 9.9.9 extrasmall 123');

  it('reads back the same database', () => {
    const back = decodePacked(bytes, 'eld 9.9.9 extrasmall 123');
    expect(back).not.toBeNull();
    expect(back!.type).toBe('XS60');
    expect(back!.languages).toEqual(db.languages);
    const view = ngramView(back!.packed);
    for (const [key, scores] of Object.entries(table)) expect(view[key]).toEqual(scores);
    expect(view['zzzz']).toBeUndefined();
  });

  it('refuses a file from another ELD build, a cut file, a padded one and one of another format', () => {
    expect(decodePacked(bytes, 'eld 9.9.10 extrasmall 123')).toBeNull();
    expect(decodePacked(bytes.subarray(0, bytes.length - 1), 'eld 9.9.9 extrasmall 123')).toBeNull();
    expect(decodePacked(Buffer.concat([bytes, Buffer.from([0])]), 'eld 9.9.9 extrasmall 123')).toBeNull();
    expect(decodePacked(Buffer.from('{"format":"other"}\n[]'), 'eld 9.9.9 extrasmall 123')).toBeNull();
    expect(decodePacked(Buffer.from('not json'), 'eld 9.9.9 extrasmall 123')).toBeNull();
    expect(decodePacked(Buffer.alloc(0), 'eld 9.9.9 extrasmall 123')).toBeNull();
  });
});
