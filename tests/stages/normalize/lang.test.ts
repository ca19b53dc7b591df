import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { directionFor, normalizeLang } from '../../../src/stages/normalize/lang.js';

/**
 * Script votes are tallied in one pass with a per-character cache; the
 * reference is the per-script regex count it replaced.
 */
const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;
const letters = (script: string): RegExp => new RegExp(`(?=\\p{L})\\p{Script=${script}}`, 'gu');

function referenceDirection(lang: string | null, text: string): 'rtl' | 'ltr' {
  const s = text.slice(0, 3000);
  const n = count(s, /\p{L}/gu);
  if (n === 0) return lang === 'ar' ? 'rtl' : 'ltr';
  const rtl = count(s, letters('Arabic')) + count(s, letters('Hebrew')) + count(s, /(?=\p{L})[\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/gu);
  return rtl * 2 >= n ? 'rtl' : 'ltr';
}

describe('script tally', () => {
  it('counts astral letters once and ignores digits, marks and punctuation', () => {
    // 12 astral Han letters outvote 11 Latin ones only if each pair counts once.
    expect(normalizeLang('en', null, '𠀀'.repeat(12) + ' ' + 'a'.repeat(11))).toBe('zh');
    expect(normalizeLang('en', null, '𠀀'.repeat(10) + ' ' + 'a'.repeat(11))).toBe('en');
    expect(normalizeLang('en', null, 'ab ٠١٢٣٤٥٦٧٨٩ ،؛ ً ٌ ٍ')).toBe('en');
  });

  it('only looks at the first 3000 characters', () => {
    expect(normalizeLang('en', null, 'a'.repeat(3000) + 'سوق'.repeat(5000))).toBe('en');
    // A surrogate pair cut by the limit is not a letter.
    expect(directionFor(null, 'x'.repeat(2999) + '𐤀' + 'שלום')).toBe('ltr');
  });

  it('gives the same direction as per-script regex counts', () => {
    const alphabet = [...'aZé ،1٣ابجדהвгαβ中文ひカ한ไทยܐހߊ\uD800\uDC00', '𠀀', '😀', '𐤀'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(fc.property(text, fc.constantFrom('ar', 'en', null), (s, lang) => directionFor(lang, s) === referenceDirection(lang, s)), {
      numRuns: 5000,
    });
  });
});
