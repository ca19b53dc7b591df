import { describe, expect, it } from 'vitest';
import { isCommentForm, isLinkLabel, isPercent, isPollWord, isPromo, isProseLine, isTailMarker, stems, toLine } from '../../../src/stages/text/lines.js';
import { loadTextRules } from '../../../src/stages/text/rules.js';

const rules = loadTextRules();
const line = (text: string, kind: 'p' | 'li' = 'p') => toLine({ text, kind });

describe('isProseLine', () => {
  it.each([
    ['a sentence of a few words', 'The bridge opens in May.', true],
    ['a sentence ending in a closing quote', 'وقال: "نعم المقاتلون ضمن الاتفاق".', true],
    ['an Arabic question', 'هل يفتح الجسر في موعده؟', true],
    ['a headline without final punctuation', 'Council approves second river bridge after heated debate', false],
    ['a two-word sentence', 'Not today.', false],
    ['a long line however it ends', 'word '.repeat(30).trim(), true],
  ])('%s', (_, text, expected) => {
    expect(isProseLine(line(text), rules)).toBe(expected);
  });
});

describe('boilerplate matchers', () => {
  it('tail markers match whole lines, numbers ignored', () => {
    expect(isTailMarker(line('Comments (12)'), rules)).toBe(true);
    expect(isTailMarker(line('مقالات ذات صلة'), rules)).toBe(true);
    expect(isTailMarker(line('Comments from residents were mostly positive.'), rules)).toBe(false);
  });

  it('link labels: «اقرأ أيضا:» in its spelling variants', () => {
    expect(isLinkLabel(line('اقرأ أيضا:'), rules)).toBe(true);
    expect(isLinkLabel(line('إقرأ ايضاً'), rules)).toBe(true);
    expect(isLinkLabel(line('Read also: Ferry timetable changes'), rules)).toBe(false);
  });

  it('comment forms: the WordPress notice and required-field labels', () => {
    expect(isCommentForm(line('لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *'), rules)).toBe(true);
    expect(isCommentForm(line('Your email address will not be published. Required fields are marked *'), rules)).toBe(true);
    expect(isCommentForm(line('الاسم *'), rules)).toBe(true);
    expect(isCommentForm(line('Name *'), rules)).toBe(true);
    expect(isCommentForm(line('Website design costs rose sharply last year.'), rules)).toBe(false);
  });

  it('promo lines are short', () => {
    expect(isPromo(line('تابعونا على أخبار جوجل'), rules)).toBe(true);
    expect(isPromo(line('Follow us on Google News'), rules)).toBe(true);
    expect(isPromo(line('The mayor said she would follow us on the matter of the bridge, the budget and the schools, and report back to the council next month.'), rules)).toBe(false);
  });

  it('poll words and results', () => {
    expect(isPollWord(line('Vote'), rules)).toBe(true);
    expect(isPollWord(line('1,204 votes'), rules)).toBe(true);
    expect(isPollWord(line('عرض النتائج'), rules)).toBe(true);
    expect(isPollWord(line('Voters queued for hours in the rain.'), rules)).toBe(false);
    expect(isPercent(line('نعم ٦٢٪'))).toBe(true);
    expect(isPercent(line('Yes 62%'))).toBe(true);
    expect(isPercent(line('Prices rose 3% in a year, the bank said on Monday morning.'))).toBe(false);
  });
});

describe('stems', () => {
  it('strips Arabic clitics and English plurals so vocabularies compare', () => {
    expect(stems(toLine({ text: 'والمدينة بالمدينة للمدينة', kind: 'p' }).key)).toEqual(['مدين', 'مدين', 'مدين']);
    expect(stems('bridges bridge of a')).toEqual(['bridge', 'bridge']);
  });
});
