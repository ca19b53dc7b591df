import { describe, expect, it } from 'vitest';
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
