import { describe, expect, it } from 'vitest';
import { searchFold } from '../../../src/stages/normalize/search-fold.js';

describe('searchFold (Lucene arabic_normalization + digits)', () => {
  it.each([
    ['أحمد وإبراهيم في آمد', 'احمد وابراهيم في امد'],
    ['ٱلرحمن', 'الرحمن'],
    ['مستشفى المدينة', 'مستشفي المدينه'],
    ['مُحَمَّدٌ', 'محمد'],
    ['العـــربية', 'العربية'.replace('ة', 'ه')],
    ['عام ٢٠٢٤ و۱۴۰۳', 'عام 2024 و1403'],
    ['Keep Latin Case, punctuation!', 'Keep Latin Case, punctuation!'],
    ['می‌خواهم', 'می‌خواهم'],
    ['Persian ی and ک are not Arabic ى/ي and stay: یک کتاب', 'Persian ی and ک are not Arabic ى/ي and stay: یک کتاب'.replace('ى', 'ي')],
  ])('%s → %s', (input, expected) => {
    expect(searchFold(input)).toBe(expected);
  });
});
