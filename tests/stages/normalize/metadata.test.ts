import { describe, expect, it } from 'vitest';
import type { RawMetadata } from '../../../src/shared/types.js';
import {
  cleanAuthors,
  cleanTitle,
  directionFor,
  normalizeLang,
  stripSiteName,
  toIsoDate,
} from '../../../src/stages/normalize/metadata.js';
import { canonicalLangTag } from '../../../src/stages/normalize/lang.js';

const titles = (t: Partial<RawMetadata['titles']>): RawMetadata['titles'] => ({
  og: null, jsonLd: null, meta: null, htmlTitle: null, h1: null, ...t,
});

describe('cleanTitle', () => {
  it.each([
    ['English suffix', { htmlTitle: 'Flood closes the old bridge | Example Daily' }, 'Example Daily', 'Flood closes the old bridge'],
    ['English prefix', { htmlTitle: 'Example Daily - Flood closes the old bridge' }, 'Example Daily', 'Flood closes the old bridge'],
    ['Arabic suffix', { htmlTitle: 'افتتاح سوق جديد للمزارعين - صحيفة المثال' }, 'صحيفة المثال', 'افتتاح سوق جديد للمزارعين'],
    ['Arabic suffix with »', { og: 'صحيفة المثال » افتتاح سوق جديد' }, 'صحيفة المثال', 'افتتاح سوق جديد'],
    ['site name variant', { htmlTitle: 'Storm warning issued — Example Daily News' }, 'Example Daily', 'Storm warning issued'],
    ['h1 contained in <title>', { htmlTitle: 'Storm warning issued – Weather – Example', h1: 'Storm warning issued', og: 'Storm warning issued for coast' }, null, 'Storm warning issued'],
    ['declared title wins over h1 and <title>', { declared: 'Storm warning issued for coast', htmlTitle: 'Storm warning issued – Weather – Example', h1: 'Storm warning issued' }, null, 'Storm warning issued for coast'],
    ['declared title keeps its wording', { declared: 'Diet pills "burned her up"', h1: 'Diet pills “burned her up”', htmlTitle: 'Diet pills “burned her up” - News' }, null, 'Diet pills "burned her up"'],
    ['declared title: confirmed site name stripped', { declared: 'Dam repairs finish early | Example Daily' }, 'Example Daily', 'Dam repairs finish early'],
    ['declared title: unconfirmed suffix kept', { declared: 'Dam repairs finish early | Valley Notes' }, null, 'Dam repairs finish early | Valley Notes'],
    ['declared title that is the site name is skipped', { declared: 'Example Daily', htmlTitle: 'Dam repairs finish early' }, 'Example Daily', 'Dam repairs finish early'],
    ['og contained in <title>', { htmlTitle: 'أمطار غزيرة في الشمال :: موقع مثال', og: 'أمطار غزيرة في الشمال' }, null, 'أمطار غزيرة في الشمال'],
    ['unknown site: a short suffix after | is dropped', { htmlTitle: 'Storm warning issued | Weather' }, null, 'Storm warning issued'],
    ['unknown site: the last segment only', { htmlTitle: 'Storm warning issued – Weather desk – Example' }, null, 'Storm warning issued – Weather desk'],
    ['unknown site: too little headline left, kept whole', { htmlTitle: 'Storms | Weather' }, null, 'Storms | Weather'],
    ['unknown site: " - " may be part of a headline, kept whole', { htmlTitle: 'Storm warning issued - Weather' }, null, 'Storm warning issued - Weather'],
    ['unknown site: a long tail is not a site name', { htmlTitle: 'Storm warning | what the coast should expect tonight' }, null, 'Storm warning | what the coast should expect tonight'],
    ['colon without spaces is not a separator', { htmlTitle: 'Analysis: why prices rise' }, 'Analysis', 'Analysis: why prices rise'],
    ['og preferred over a short h1', { htmlTitle: 'A | B', h1: 'Menu', og: 'Real headline here' }, null, 'Real headline here'],
    ['title equal to site name is skipped', { og: 'Example Daily', htmlTitle: 'Rain ends drought | Example Daily' }, 'Example Daily', 'Rain ends drought'],
    ['nothing', {}, null, null],
  ])('%s', (_name, t, site, expected) => {
    expect(cleanTitle(titles(t), site)).toBe(expected);
  });

  it('stripSiteName leaves titles without the site alone', () => {
    expect(stripSiteName('Left - right', 'Other')).toBe('Left - right');
    expect(stripSiteName('Example Daily', 'Example Daily')).toBe('Example Daily');
  });

  it.each([
    ['author then site', 'Dam repairs finish early - Jane Roe - Example', { siteNames: ['Example'], exact: ['Jane Roe'] }, 'Dam repairs finish early'],
    ['the logo link names the site', 'Dam repairs finish early - The Valley Gazette', { exact: ['The Valley Gazette'] }, 'Dam repairs finish early'],
    ['exact names match whole segments only', 'Home Office | New visa rules', { exact: ['Home'] }, 'Home Office | New visa rules'],
    ['a section between stops the stripping', 'Dam repairs | Jane Roe | Politics | Example', { siteNames: ['Example'], exact: ['Jane Roe'] }, 'Dam repairs | Jane Roe | Politics'],
  ])('confirmed names: %s', (_name, title, more, expected) => {
    expect(cleanTitle(titles({ declared: title }), null, more)).toBe(expected);
  });

  it.each([
    ['declared = kicker + shown headline', { declared: 'Harbour works: Night ferry returns', og: 'Night ferry returns', h1: 'Night ferry returns' }, 'Night ferry returns'],
    ['declared = shown headline + section', { declared: 'Night ferry returns | Local', jsonLd: 'Night ferry returns | Local', og: 'Night ferry returns', h1: 'Night ferry returns' }, 'Night ferry returns'],
    ['Arabic: declared = kicker + shown headline', { declared: 'عاجل: وصول أول سفينة حاويات', og: 'وصول أول سفينة حاويات', h1: 'وصول أول سفينة حاويات' }, 'وصول أول سفينة حاويات'],
    ['declared agreeing with no source yields to h1 + JSON-LD', { declared: 'Ferry back - example.com', jsonLd: 'Night ferry returns to the island', og: 'Other words', h1: 'Night ferry returns to the island' }, 'Night ferry returns to the island'],
    ['breadcrumb h1: the shown heading agreeing with og wins', { declared: 'Ferry service restored to island', jsonLd: 'Ferry service restored to island', og: 'Night ferry returns', h1: 'Night ferry returns', crumbH1: 'Ferry service restored to island' }, 'Night ferry returns'],
    ['differently worded declared title kept (no breadcrumb)', { declared: 'Ferry service restored to island', jsonLd: 'Ferry service restored to island', og: 'Night ferry returns', h1: 'Night ferry returns' }, 'Ferry service restored to island'],
    ['shown headline alone (no source repeats it) does not win', { declared: 'Harbour works: Night ferry returns', h1: 'Night ferry returns' }, 'Harbour works: Night ferry returns'],
    ['a word prefix is not a segment', { declared: 'Harbour-Night ferry returns', og: 'Night ferry returns', jsonLd: 'Harbour-Night ferry returns', h1: 'Night ferry returns' }, 'Harbour-Night ferry returns'],
  ])('shown headline: %s', (_name, t, expected) => {
    expect(cleanTitle(titles(t), null)).toBe(expected);
  });

  it.each([
    ['date segment', 'Night ferry returns | 14.03.2024', null, 'Night ferry returns'],
    ['domain site name without its TLD, then a date', 'Night ferry returns | Quarry Post | 2024-03-14', 'QuarryPost.com', 'Night ferry returns'],
    ['Arabic headline, domain label and date', 'وصول أول سفينة حاويات | Sahil | 11.02.2024', 'sahil.net', 'وصول أول سفينة حاويات'],
    ['a number in the headline is not a date segment', 'Ferry fares: 14.03 | Quarry Post', 'Example.org', 'Ferry fares: 14.03 | Quarry Post'],
  ])('title segments: %s', (_name, declared, site, expected) => {
    expect(cleanTitle(titles({ declared }), site)).toBe(expected);
  });

  it.each([
    ['Korean "ㅣ" pipe, glued section, meta title', { declared: '항구 야간 여객선 여름 운항 재개-사회ㅣ예시일보', meta: '항구 야간 여객선 여름 운항 재개' }, '예시일보', '항구 야간 여객선 여름 운항 재개'],
    ['glued section after a confirmed site, h1', { declared: 'Night ferry returns for summer-Local|Example Daily', h1: 'Night ferry returns for summer' }, 'Example Daily', 'Night ferry returns for summer'],
    ['no confirmed name came off: the segment stays', { declared: 'Night ferry returns for summer - Local news', h1: 'Night ferry returns for summer' }, null, 'Night ferry returns for summer - Local news'],
    ['a cut inside a word is not a section', { declared: 'Night ferry returns to Gull-Island | Example Daily', meta: 'Night ferry returns to Gu' }, 'Example Daily', 'Night ferry returns to Gull-Island'],
    ['a long tail is not a section', { declared: 'Night ferry returns-for the whole summer | Example Daily', meta: 'Night ferry returns' }, 'Example Daily', 'Night ferry returns-for the whole summer'],
  ])('section trail: %s', (_name, t, site, expected) => {
    expect(cleanTitle(titles(t), site)).toBe(expected);
  });

  it.each([
    ['og and <title> outvote JSON-LD', { declared: 'Harbour works - Night ferry returns', jsonLd: 'Harbour works - Night ferry returns', og: 'Harbour works: Night ferry returns', htmlTitle: 'Harbour works: Night ferry returns | Coast' }, 'Harbour works: Night ferry returns'],
    ['apostrophes', { declared: 'Mayor’s ferry plan', jsonLd: 'Mayor’s ferry plan', og: "Mayor's ferry plan", htmlTitle: "Mayor's ferry plan" }, "Mayor's ferry plan"],
    ['a tie keeps the declared spelling', { declared: 'Mayor’s ferry plan', jsonLd: 'Mayor’s ferry plan', og: "Mayor's ferry plan" }, 'Mayor’s ferry plan'],
    ['quotes added are other words, not a spelling', { declared: 'Ferry back... mayor says', jsonLd: 'Ferry back... mayor says', og: '"Ferry back"... mayor says', htmlTitle: '"Ferry back"... mayor says' }, 'Ferry back... mayor says'],
    ['the visible h1 does not vote', { declared: 'Diet pills "burned her up"', jsonLd: 'Diet pills "burned her up"', h1: 'Diet pills “burned her up”', og: 'Diet pills “burned her up”' }, 'Diet pills "burned her up"'],
  ])('spelling: %s', (_name, t, expected) => {
    expect(cleanTitle(titles(t), null)).toBe(expected);
  });

  it('a "by" segment naming an author is dropped', () => {
    const byline = /^(?:by|بقلم)(?:\s|$)/;
    expect(cleanTitle(titles({ declared: 'Night ferry returns | Example Daily | by Jane Roe' }), 'Example Daily', { exact: ['Jane Roe'], byline })).toBe('Night ferry returns');
    expect(cleanTitle(titles({ declared: 'عودة العبارة الليلية | صحيفة المثال | بقلم سلمى الراشد' }), 'صحيفة المثال', { exact: ['سلمى الراشد'], byline })).toBe('عودة العبارة الليلية');
    expect(cleanTitle(titles({ declared: 'Night ferry returns | by the harbour' }), null, { exact: ['Jane Roe'], byline })).toBe('Night ferry returns | by the harbour');
  });

  it('does not guess at a suffix once a confirmed name came off the <title>', () => {
    expect(cleanTitle(titles({ htmlTitle: 'Cover your code | Notes | Jane Roe' }), null, { exact: ['Jane Roe'] })).toBe('Cover your code | Notes');
    expect(cleanTitle(titles({ htmlTitle: 'Cover your code well | Notes' }), null)).toBe('Cover your code well');
  });
});

describe('toIsoDate', () => {
  it.each([
    ['2020-10-07T12:09:00+03:00', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07T12:09:00.123+0300', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07T12:09+03:00', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07T09:09:00Z', '2020-10-07T09:09:00Z'],
    ['2020-10-07T09:09:00+00:00', '2020-10-07T09:09:00+00:00'],
    ['2020-10-07 12:09:00', '2020-10-07T12:09:00'],
    ['2020-10-07 12:09:00 -0530', '2020-10-07T12:09:00-05:30'],
    ['2020/10/07', '2020-10-07'],
    ['2020-10-07', '2020-10-07'],
    ['٢٠٢٠-١٠-٠٧', '2020-10-07'],
    ['Wed, 07 Oct 2020 12:09:00 +0300', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 Oct 2020 09:09:00 GMT', '2020-10-07T09:09:00Z'],
    ['7 October 2020', '2020-10-07'],
    ['October 7, 2020 at 3:05 PM EST', '2020-10-07T15:05:00-05:00'],
    ['Sept 7 2020', '2020-09-07'],
    ['1602061740', '2020-10-07T09:09:00Z'],
    ['2020-02-30', null],
    ['2020-13-01', null],
    ['2020-10-07T25:00:00', null],
    ['2020-10-07T12:00:00+15:00', null],
    ['07/10/2020', null],
    ['yesterday', null],
    ['', null],
    [null, null],
  ])('%s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });
});

describe('normalizeLang', () => {
  const arabic = 'افتتحت البلدية سوقا جديدا للمزارعين في وسط المدينة';
  const english = 'The council opened a new market for farmers in the town centre';
  it.each([
    ['en-us', null, english, 'en-US'],
    ['ar_EG', null, arabic, 'ar-EG'],
    ['zh-hant-tw', null, '', 'zh-Hant-TW'],
    [null, 'fr-fr, en', '', 'fr-FR'],
    ['', null, english, 'en'], // nothing declared: the detector decides
    ['en-US', null, arabic, 'ar'],
    [null, null, arabic, 'ar'],
    ['fa-IR', null, 'شهرداری امروز یک بازار تازه برای کشاورزان باز کرد', 'fa-IR'],
    ['ur', null, arabic, 'ur'],
    ['en', null, 'העירייה פתחה שוק חדש לחקלאים במרכז העיר', 'he'],
    ['en', null, 'Городской совет открыл новый рынок для фермеров', 'ru'],
    ['uk', null, 'Міська рада відкрила новий ринок для фермерів', 'uk'],
    ['en', null, 'Το δημοτικό συμβούλιο άνοιξε νέα αγορά', 'el'],
    ['en', null, '市议会在市中心为农民开设了新市场', 'zh'],
    ['en', null, '市議会は町の中心に農家のための新しい市場を開きました', 'ja'],
    ['en', null, '시의회가 농민들을 위한 새 시장을 열었습니다', 'ko'],
    ['en', null, 'สภาเมืองเปิดตลาดใหม่สำหรับเกษตรกร', 'th'],
    ['ar', null, english, 'en'], // a declaration the script rules out is replaced
    ['de-DE', null, english, 'de-DE'],
    ['iw', null, '', 'he'],
    ['hi', null, 'नगर परिषद ने किसानों के लिए नया बाज़ार खोला', 'hi'],
    ['x', null, english, 'en'],
    ['x', null, 'Ok', null], // too little text to detect
  ])('%s / %s', (htmlLang, metaLang, text, expected) => {
    expect(normalizeLang(htmlLang, metaLang, text)).toBe(expected);
  });

  it('canonicalLangTag drops variants after the region', () => {
    expect(canonicalLangTag('EN-gb-oxendict')).toBe('en-GB');
    expect(canonicalLangTag('es-419')).toBe('es-419');
  });
});

describe('directionFor', () => {
  it.each([
    [null, 'افتتحت البلدية سوقا جديدا (Market) للمزارعين', 'rtl'],
    ['en', 'העירייה פתחה שוק חדש', 'rtl'],
    ['ar', 'A mostly English text with one word: سوق', 'ltr'],
    ['ar', '2024 — 123', 'rtl'],
    ['en', '', 'ltr'],
  ] as const)('%s: %s', (lang, text, expected) => {
    expect(directionFor(lang, text)).toBe(expected);
  });
});

describe('cleanAuthors', () => {
  it.each([
    [['By Jane Roe'], ['Jane Roe']],
    [['by: Jane Roe', 'JANE ROE'], ['Jane Roe']],
    [['كتب: أحمد المثالي'], ['أحمد المثالي']],
    [['كتبت - سارة المثالية'], ['سارة المثالية']],
    [['بقلم محمد علي', 'بواسطة ليلى حسن'], ['محمد علي', 'ليلى حسن']],
    [['Von Max Muster'], ['Max Muster']],
    [['Ursula von der Leyen'], ['Ursula von der Leyen']],
    [['Par Jean Dupont', 'Por Ana Gómez'], ['Jean Dupont', 'Ana Gómez']],
    [['Jane Roe and John Doe'], ['Jane Roe', 'John Doe']],
    [['Jane Roe, John Doe & Sam Poe'], ['Jane Roe', 'John Doe', 'Sam Poe']],
    [['أحمد علي و محمد حسن'], ['أحمد علي', 'محمد حسن']],
    [['أحمد علي، محمد حسن'], ['أحمد علي', 'محمد حسن']],
    [['Roe, Jane'], ['Roe, Jane']],
    [['Tom and Jerry'], ['Tom and Jerry']],
    [['Example Daily', 'https://example.com/staff/jane', 'www.example.com', ' ', 'Jane Roe'], ['Jane Roe']],
    [['Jane Roe, Reuters'], ['Jane Roe']],
    [['وكالات'], ['وكالات']],
    [['Jane Roe', 'وكالات'], ['Jane Roe', 'وكالات']],
    [['Example Daily'], ['Example Daily']],
    [['Jane Roe', 'Twitter Facebook', '(Image: Getty Images)'], ['Jane Roe']],
    [['Martin Roux (avec Léa Petit et Jules Blanc)'], ['Martin Roux', 'Léa Petit', 'Jules Blanc']],
    [['Richard (R.J.) Eskew'], ['Richard (R.J.) Eskew']],
    [['Bradley Kuhn (http://kuhn.example/)'], ['Bradley Kuhn']],
    [['Written by Jane Roe Edited by John Doe'], ['Jane Roe']],
  ])('%j', (input, expected) => {
    expect(cleanAuthors(input, 'Example Daily')).toEqual(expected);
  });

  it('keeps at most 10', () => {
    const many = Array.from({ length: 15 }, (_, i) => `Author ${String.fromCharCode(65 + i)}`);
    expect(cleanAuthors(many, null)).toHaveLength(10);
  });
});
