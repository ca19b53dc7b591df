import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiDigits, foldForMatching } from '../../../src/stages/normalize/arabic-fold.js';

describe('foldForMatching', () => {
  it.each([
    ['lower-case', 'Read MORE', 'read more'],
    ['NFKC (fullwidth, ligature)', 'ＡＢＣ ﬁne', 'abc fine'],
    ['Arabic presentation forms', 'ﻻ', 'لا'],
    ['harakat removed', 'كَتَبَ', 'كتب'],
    ['tanween removed', 'أيضاً', 'ايضا'],
    ['shadda + sukun removed', 'مُحَمَّدْ', 'محمد'],
    ['superscript alef removed', 'هٰذا', 'هذا'],
    ['Quranic marks removed', 'قال\u06D6', 'قال'],
    ['tatweel removed', 'جـــميل', 'جميل'],
    ['alef madda', 'آمن', 'امن'],
    ['alef hamza above', 'أحمد', 'احمد'],
    ['alef hamza below', 'إسلام', 'اسلام'],
    ['alef wasla', 'ٱلكتاب', 'الكتاب'],
    ['alef maqsura', 'مستشفى', 'مستشفي'],
    ['ta marbuta', 'مدرسة', 'مدرسه'],
    ['waw hamza', 'مؤتمر', 'موتمر'],
    ['ya hamza', 'رئيس', 'رييس'],
    ['Persian ya / kaf', 'یک کتاب', 'يك كتاب'],
    ['Arabic-Indic digits', '٢٠٢٤', '2024'],
    ['Persian digits', '۱۴۰۳', '1403'],
    ['Arabic punctuation', '«مرحبا»، كيف؟ حسنا؛', 'مرحبا كيف حسنا'],
    ['Latin punctuation and arrows', '» Read also: → the story', 'read also the story'],
    ['collapse spaces', '  a \t b\n c ', 'a b c'],
    ['invisible marks ignored', 'ab\u200Ccd\u200F', 'abcd'],
    ['only punctuation', '* * *', ''],
  ])('%s', (_name, input, expected) => {
    expect(foldForMatching(input)).toBe(expected);
  });

  it('makes hamza and diacritic variants of a phrase equal', () => {
    const variants = ['اقرأ أيضا', 'إقرأ أيضاً', 'اقرا ايضا', 'اقْرَأْ أَيْضًا:'];
    expect(new Set(variants.map(foldForMatching)).size).toBe(1);
  });
});

describe('asciiDigits', () => {
  it('only changes digits', () => {
    expect(asciiDigits('٠٧/١٠/٢٠٢٠ م')).toBe('07/10/2020 م');
  });
});

/**
 * The fold used to be this chain of regex replaces; the one-pass version must
 * give the same keys, since phrase lists and dedupe compare against them.
 */
function referenceFold(s: string): string {
  const letters: Record<string, string> = { ى: 'ي', ة: 'ه', ؤ: 'و', ئ: 'ي', ی: 'ي', ک: 'ك' };
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u06D6-\u06ED]/g, '')
    .replace(/[\u0640\p{Cf}]/gu, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/[\u0649\u0629\u0624\u0626\u06CC\u06A9]/g, (c) => letters[c] ?? c)
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf))
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

describe('foldForMatching edge cases', () => {
  it.each([
    ['NUL and other controls kept', 'a\u0000b\u0001', 'a\u0000b\u0001'],
    ['emoji (astral symbol) is a separator', 'a👍b', 'a b'],
    ['astral letters kept', '𠀀𝐀', '𠀀a'],
    ['astral format character dropped', 'a\u{E0001}b', 'ab'],
    ['lone surrogates kept', 'a\uD800 \uDC00b', 'a\uD800 \uDC00b'],
    ['BOM is invisible, not a space', 'a\uFEFFb', 'ab'],
    ['Greek final sigma lower-cased in context', 'ΟΔΟΣ', 'οδος'],
    ['dotted capital I', 'İ', 'i\u0307'],
    ['a key already folded comes back unchanged', 'jane roe 2024', 'jane roe 2024'],
    ['edge and doubled spaces go', ' jane  roe ', 'jane roe'],
    ['astral letter after a space', 'a 𝐀', 'a a'],
    ['astral letter kept after a space', 'a 𠀀', 'a 𠀀'],
    ['Latin-1 letters NFKC keeps', 'Élan café Ñu', 'élan café ñu'],
    ['Latin-1 and Latin Extended NFKC changes', 'ªx²ſ½Ĳ', 'ax2s1 2ij'],
  ])('%s', (_name, input, expected) => {
    expect(foldForMatching(input)).toBe(expected);
  });

  it('folds an input longer than the shared buffer', () => {
    const long = 'أَهْلاً، ' + 'Word. '.repeat(20_000);
    expect(foldForMatching(long)).toBe(referenceFold(long));
  });

  it('matches the regex-chain reference on arbitrary text', () => {
    const alphabet = [
      ...'aZ 09.,!?-_\t\n\u00a0\u00ad\u200b\u200c\u200e\ufeff\u2028«»،؛؟ـأإآٱىةؤئیکًٌّْٰۖ٠٩۰۹ﻻＡﬁİΣß…—•→\u0000',
      '👍', '\u{E0001}', '\uD800', '\uDC00', '𠀀',
    ];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(fc.property(text, (s) => foldForMatching(s) === referenceFold(s)), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => foldForMatching(s) === referenceFold(s)), { numRuns: 2000 });
  });
});
