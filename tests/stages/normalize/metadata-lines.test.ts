import { describe, expect, it } from 'vitest';
import { isCreditLine, isMetadataLine, loadMetadataLineRules, sourceCredit } from '../../../src/stages/normalize/metadata-lines.js';

const rules = loadMetadataLineRules();

describe('isMetadataLine: bylines and datelines', () => {
  it.each([
    'By Jane Doe',
    'كتب: محمد علي',
    'Published: Monday, 16 August 2004 - 08:30',
    'الأربعاء 16 أكتوبر 2024 - 08:30 ص',
    'لينا الجابري·2 يوليو 2024·قراءة في 3 دقائق',
    'Jane Doe · May 2, 2024 · 4 min read',
  ])('%s is metadata', (line) => {
    expect(isMetadataLine(line, rules)).toBe(true);
  });

  it.each(['200 g sugar and 2 eggs', 'By the end of 2004 the bridge was closed to all traffic for good.'])('%s is text', (line) => {
    expect(isMetadataLine(line, rules)).toBe(false);
  });
});

describe('isCreditLine: image credits and captions', () => {
  it.each([
    'Foto: Jane Doe',
    '(Credit: Clayton Aldern / Grist)',
    'The mayor at the opening on Saturday. Photo: City Archive',
    'Roman Prymula, photo: Archives du Gouvernement',
    'Crédits photos : Bestimage',
    'Lee Elder at Augusta in 1975. | © Augusta National/Getty Images',
    'The new training aircraft in Bremen. © CAE',
    'Abbildung 4: klassische Schwachschicht im Schneeprofil',
    'Figure 2: monthly rainfall',
    'الصورة: أرشيفية',
    'Families cross the deck on Saturday. (Gazette photo by Ed Polanski)',
  ])('%s is a credit or caption', (line) => {
    expect(isCreditLine(line, rules)).toBe(true);
    expect(isMetadataLine(line, rules)).toBe(true);
  });

  it.each([
    'The photographer said the photo: was never meant to be published, and the paper agreed to pull it from the site.',
    'Image rights are a growing business for agencies, the report found.',
    'She signed the © notice herself, then sent it to every newspaper in the region. The editors ignored it.',
    'Foto: ' + 'word '.repeat(45),
  ])('%s is text', (line) => {
    expect(isCreditLine(line, rules)).toBe(false);
  });
});

describe('sourceCredit: short source lines', () => {
  it.each([
    ['المصدر: وكالات', 'وكالات'],
    ['Source: Reuters', 'Reuters'],
    ['(المصدر: رويترز)', 'رويترز'],
    ['Sources : AFP, dpa.', 'AFP, dpa'],
    ['Quelle: dpa', 'dpa'],
  ])('%s credits %s and is a metadata line', (line, credited) => {
    expect(sourceCredit(line, rules)).toBe(credited);
    expect(isMetadataLine(line, rules)).toBe(true);
  });

  it.each([
    'The source said: the talks will resume next week after both sides have consulted their governments.',
    'Sources close to the ministry confirmed the plan.',
    'المصدر الرئيسي للمياه في المدينة هو النهر',
  ])('%s is not one', (line) => {
    expect(sourceCredit(line, rules)).toBeNull();
  });
});
