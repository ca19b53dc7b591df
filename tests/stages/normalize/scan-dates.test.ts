import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDateRules } from '../../../src/stages/normalize/date-rules.js';
import { scanDates, toIsoDate } from '../../../src/stages/normalize/scan-dates.js';
import { dateFromUrl, dayFirstFor, leadingDatelines, resolveDates } from '../../../src/stages/normalize/pick-dates.js';
import { loadMetadataLineRules } from '../../../src/stages/normalize/metadata-lines.js';
import { normalize, loadNormalizeRules } from '../../../src/stages/normalize/index.js';
import { clean } from '../../../src/stages/clean/index.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';
import { defaultConfig } from '../../../src/config/schema.js';
import type { DateCandidate, DateSource } from '../../../src/shared/types.js';

type Row = [string, string | null];

describe('toIsoDate: ISO, numeric and epoch values', () => {
  it.each<Row>([
    ['2020-10-07T12:09:00+03:00', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07T12:09:00.123+0300', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07T12:09+03', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07T09:09:00Z', '2020-10-07T09:09:00Z'],
    ['2020-10-07T09:09:00+00:00', '2020-10-07T09:09:00+00:00'],
    ['2020-10-07 12:09:00', '2020-10-07T12:09:00'],
    ['2020-10-07 12:09:00 -0530', '2020-10-07T12:09:00-05:30'],
    ['2020/10/07', '2020-10-07'],
    ['2020.10.07', '2020-10-07'],
    ['20201007', '2020-10-07'],
    ['2020年10月7日', '2020-10-07'],
    ['1602061740', '2020-10-07T09:09:00Z'],
    ['1602061740000', '2020-10-07T09:09:00Z'],
    ['Wed Oct 07 2020 12:09:00 GMT+0300 (Arabian Standard Time)', '2020-10-07T12:09:00+03:00'],
    ['2020-10-07 12:09 GMT+3', '2020-10-07T12:09:00+03:00'],
    ['2020-02-30', null],
    ['2020-13-01', null],
    ['2020-10-07T25:00:00', null],
    ['2020-10-07T12:00:00+15:00', null],
    ['yesterday', null],
    ['October 2020', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it('drops CMS placeholders and years before minYear', () => {
    for (const v of ['1970-01-01T00:00:00Z', '0', '0000000000', '0001-01-01T00:00:00', '1899-12-31', '1900-01-01']) expect(toIsoDate(v)).toBeNull();
  });
});

describe('toIsoDate: month names', () => {
  it.each<Row>([
    // English
    ['Wed, 07 Oct 2020 12:09:00 +0300', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 Oct 2020 09:09:00 GMT', '2020-10-07T09:09:00Z'],
    ['Wednesday, October 7, 2020', '2020-10-07'],
    ['October 7, 2020 at 3:05 PM EST', '2020-10-07T15:05:00-05:00'],
    ['Oct. 7, 2020, 3:05 p.m. EDT', '2020-10-07T15:05:00-04:00'],
    ['7th of October 2020', '2020-10-07'],
    ['Sept 7 2020', '2020-09-07'],
    ['Posted 12:30 AM, 1 May 2021', '2021-05-01T00:30:00'],
    // French
    ['mercredi 7 octobre 2020 à 12h09', '2020-10-07T12:09:00'],
    ['1er décembre 2020', '2020-12-01'],
    ['7 févr. 2021', '2021-02-07'],
    ['15 août 2019', '2019-08-15'],
    // German
    ['7. Oktober 2020, 12:09 Uhr', '2020-10-07T12:09:00'],
    ['Mi., 7. Okt. 2020 - 12.09 Uhr', '2020-10-07T12:09:00'],
    ['3. März 2021', '2021-03-03'],
    ['12. Jänner 2022', '2022-01-12'],
    ['07.10.2020 14:30 MESZ', '2020-10-07T14:30:00+02:00'],
    // Spanish
    ['7 de octubre de 2020', '2020-10-07'],
    ['miércoles, 7 de octubre del 2020 a las 12:09', '2020-10-07T12:09:00'],
    ['26, Abril, 2022 7:43 p.m.', '2022-04-26T19:43:00'],
    ['1 de setiembre de 2019', '2019-09-01'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });
});

describe('toIsoDate: Arabic month-name families', () => {
  const months = (names: string[]): Row[] => names.map((name, i): Row => [`5 ${name} 2021`, `2021-${String(i + 1).padStart(2, '0')}-05`]);

  it.each<Row>(months(['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر']))('Egyptian/Gulf %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>([
    ['5 إبريل 2021', '2021-04-05'],
    ['5 ابريل 2021', '2021-04-05'],
    ['5 اغسطس 2021', '2021-08-05'],
    ['5 يونيه 2021', '2021-06-05'],
    ['5 يوليه 2021', '2021-07-05'],
    ['5 اكتوبر 2021', '2021-10-05'],
  ])('Egyptian/Gulf spelling variant %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>(
    months(['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول', 'تشرين الثاني', 'كانون الأول']),
  )('Levantine/Iraqi %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>(months(['جانفي', 'فيفري', 'مارس', 'أفريل', 'ماي', 'جوان', 'جويلية', 'أوت', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر']))('Maghreb %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>(months(['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيو', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر']))('Moroccan %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>([
    ['17 مارس/ آذار 2020', '2020-03-17'],
    ['28 آب/اغسطس 2013', '2013-08-28'],
    ['5 كانون الثاني/يناير 2021', '2021-01-05'],
    ['3 حزيران (يونيو) 2019', '2019-06-03'],
    ['9 تشرين أول - أكتوبر 2018', '2018-10-09'],
  ])('paired form %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>([
    ['١ / ١٢ / ٢٠٢٠', '2020-12-01'],
    ['٢٠٢٠-١٠-٠٧', '2020-10-07'],
    ['٧ أكتوبر ٢٠٢٠ - ١٢:٠٩ م', '2020-10-07T12:09:00'],
    ['۷ أكتوبر ۲۰۲۰', '2020-10-07'],
  ])('Arabic-Indic / Persian digits %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each<Row>([
    ['الأربعاء، 07 أكتوبر 2020 - 12:09 م', '2020-10-07T12:09:00'],
    ['الأربعاء، 07 أكتوبر 2020 - 03:09 م', '2020-10-07T15:09:00'],
    ['07 أكتوبر 2020 - 09:15 ص', '2020-10-07T09:15:00'],
    ['07 أكتوبر 2020 12:30 ص', '2020-10-07T00:30:00'],
    ['07 أكتوبر 2020 - 13:45 م', '2020-10-07T13:45:00'],
    ['07 أكتوبر 2020 الساعة 08:00 مساءً', '2020-10-07T20:00:00'],
    ['12:09 م - الأربعاء 07 أكتوبر 2020', '2020-10-07T12:09:00'],
    ['الجمعة 5 يوليوز 2019 - 14:30', '2019-07-05T14:30:00'],
    ['نشر بتاريخ: السبت 2 نوفمبر 2019م - 10:05 ص بتوقيت مكة', '2019-11-02T10:05:00+03:00'],
    ['2 نوفمبر 2019 الساعة 07:05 بتوقيت غرينتش', '2019-11-02T07:05:00Z'],
  ])('weekday prefix, ص/م and zones: %s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });
});

describe('Hijri and Solar Hijri dates are converted; a Gregorian date beside them wins', () => {
  it.each<Row>([
    ['11 شوال 1441هـ', '2020-06-03'],
    ['11 شوال 1441', '2020-06-03'],
    ['1 ربيع الأول 1443 هـ', '2021-10-07'],
    ['15 ذو القعدة 1442', '2021-06-25'],
    ['20 جمادى الآخرة 1440هـ', '2019-02-25'],
    ['3 Ramadan 1441 AH', '2020-04-26'],
    ['۲۱ اردیبهشت ۱۳۹۹', '2020-05-10'],
    ['شنبه ۱۳ مرداد ۱۴۰۳ - ۱۰:۳۰', '2024-08-03T10:30:00'],
    ['۳۰ اسفند ۱۴۰۳', '2025-03-20'],
    ['۳۰ اسفند ۱۴۰۲', null],
    ['31 مهر 1399', null],
    ['۱۳ مرداد ۱۴۰۳ برابر با 3 اوت 2024', '2024-08-03'],
    ['1441/10/11هـ', null],
    ['11/10/1441 هـ', null],
    ['الأربعاء 11 شوال 1441هـ الموافق 3 يونيو 2020', '2020-06-03'],
    ['الجمعة 3 رمضان 1441 هـ - 26 أبريل 2020 م', '2020-04-26'],
    ['26 أبريل 2020 م الموافق 3 رمضان 1441 هـ', '2020-04-26'],
    ['1441/09/03 هـ - 2020/04/26 م', '2020-04-26'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });
});

describe('numeric day/month order', () => {
  it.each<[string, boolean | null, string | null]>([
    ['07/10/2020', true, '2020-10-07'],
    ['07/10/2020', false, '2020-07-10'],
    ['07/10/2020', null, null],
    ['25/10/2020', null, '2020-10-25'],
    ['10/25/2020', true, '2020-10-25'],
    ['07.10.2020', false, '2020-10-07'],
    ['07-10-2020', true, '2020-10-07'],
  ])('%s (dayFirst %s) → %s', (input, dayFirst, expected) => {
    expect(toIsoDate(input, { dayFirst })).toBe(expected);
  });

  it.each<[string | null, boolean | null]>([
    ['en-US', false],
    ['en', null],
    ['en-GB', true],
    ['ar', true],
    ['de-AT', true],
    [null, null],
  ])('dayFirstFor(%s) → %s', (lang, expected) => {
    expect(dayFirstFor(lang)).toBe(expected);
  });
});

describe('scanDates: labels and several dates', () => {
  it('tells a publication date from an update', () => {
    expect(scanDates('نشر في: 07 تشرين الأول 2020 | آخر تحديث: 08 تشرين الأول 2020 الساعة 10:30 ص')).toEqual([
      { iso: '2020-10-07', label: 'published' },
      { iso: '2020-10-08T10:30:00', label: 'modified' },
    ]);
    expect(scanDates('Published 7 Oct 2020 12:09 | Updated 8 Oct 2020 1:15 pm')).toEqual([
      { iso: '2020-10-07T12:09:00', label: 'published' },
      { iso: '2020-10-08T13:15:00', label: 'modified' },
    ]);
  });

  it('reads a time before the date and its label', () => {
    expect(scanDates('Updated 3:05 PM ET, Wed October 7, 2020')).toEqual([{ iso: '2020-10-07T15:05:00', label: 'modified' }]);
  });

  it('labels deadlines and print dates as other', () => {
    expect(scanDates('Veröffentlicht am 06.10.2023 · Druckdatum: 31.10.2023')).toEqual([
      { iso: '2023-10-06', label: 'published' },
      { iso: '2023-10-31', label: 'other' },
    ]);
  });
});

describe('dateFromUrl', () => {
  it.each<[string | null, string | null]>([
    ['https://news.example/2017/10/14/council-vote', '2017-10-14'],
    ['https://news.example/ar/2017/1/5/story.html', '2017-01-05'],
    ['https://news.example/news/2017-10-14/council-vote', '2017-10-14'],
    ['https://news.example/news/2017-10-14-council-vote', '2017-10-14'],
    ['https://news.example/archive/20171014/council-vote', '2017-10-14'],
    ['/local/20171014.html', '2017-10-14'],
    ['https://news.example/2017/10/council-vote', null],
    ['https://news.example/story/12345678/', null],
    ['https://news.example/story?d=2017/10/14/', null],
    ['https://2017.example/10/14', null],
    [null, null],
  ])('%s → %s', (url, expected) => {
    expect(dateFromUrl(url)).toBe(expected);
  });
});

const now = new Date('2024-05-01T22:00:00Z');
const c = (value: string, source: DateSource): DateCandidate => ({ value, source });
const pick = (published: DateCandidate[], modified: DateCandidate[] = [], ctx: { urls?: string[]; lang?: string; datelines?: string[] } = {}) =>
  resolveDates({ dates: { published, modified } }, { urls: ctx.urls ?? [], lang: ctx.lang ?? null, datelines: ctx.datelines ?? [], now });

describe('resolveDates', () => {
  it('tries sources by rank, whatever their order in the list', () => {
    const found = [c('2020-01-04', 'text'), c('2020-01-03', 'time'), c('2020-01-02', 'meta'), c('2020-01-01', 'json-ld')];
    expect(pick(found).published).toBe('2020-01-01T00:00:00Z');
    expect(pick(found.slice(0, 3)).published).toBe('2020-01-02T00:00:00Z');
    expect(pick([c('2020-01-05', 'loose-time'), c('7 Jan 2020', 'text')]).published).toBe('2020-01-07T00:00:00Z');
  });

  it('skips unparseable, Hijri and placeholder values for the next candidate', () => {
    const found = [c('not a date', 'json-ld'), c('1441/10/11 هـ', 'meta'), c('1970-01-01T00:00:00Z', 'meta'), c('الأربعاء، 07 أكتوبر 2020 - 12:09 م', 'meta')];
    expect(pick(found).published).toBe('2020-10-07T12:09:00Z');
    expect(pick([c('11/10/1441 هـ', 'text')]).published).toBeNull();
    expect(pick([c('11 شوال 1441هـ', 'text')]).published).toBe('2020-06-03T00:00:00Z');
  });

  it('rejects dates later than the extraction time, with a day of zone slack', () => {
    expect(pick([c('2031-01-01T00:00:00Z', 'json-ld'), c('2020-10-07', 'meta')]).published).toBe('2020-10-07T00:00:00Z');
    expect(pick([c('2024-05-02', 'meta')]).published).toBe('2024-05-02T00:00:00Z');
    expect(pick([c('2024-05-03', 'meta')]).published).toBeNull();
    expect(pick([c('2024-05-02T06:00:00+07:00', 'meta')]).published).toBe('2024-05-02T06:00:00+07:00');
    expect(pick([c('2024-05-03T09:00:00Z', 'meta')]).published).toBeNull();
  });

  it('takes the URL date after <time> and before dateline text', () => {
    const urls = ['https://news.example/2019/03/02/story'];
    expect(pick([c('1 Mar 2019', 'text')], [], { urls }).published).toBe('2019-03-02T00:00:00Z');
    expect(pick([c('2019-03-01', 'time')], [], { urls }).published).toBe('2019-03-01T00:00:00Z');
    expect(pick([], [], { urls }).modified).toBeNull();
  });

  it('gives a date-only winner the time of day of a later candidate for the same day', () => {
    const urls = ['https://news.example/ar/2020/10/07/story.html'];
    expect(pick([c('الأربعاء، 07 أكتوبر 2020 - 12:09 م', 'text')], [], { urls }).published).toBe('2020-10-07T12:09:00Z');
    expect(pick([c('2020-10-07', 'meta'), c('2020-10-08T09:00:00Z', 'time')]).published).toBe('2020-10-07T00:00:00Z');
  });

  it('reads dateline text by its labels', () => {
    const line = c('Updated: 8 Oct 2020', 'text');
    expect(pick([line], [line])).toMatchObject({ published: null, modified: '2020-10-08T00:00:00Z' });
    const both = c('نشر في: 07 أكتوبر 2020 | آخر تحديث: 08 أكتوبر 2020', 'text');
    expect(pick([both], [both])).toMatchObject({ published: '2020-10-07T00:00:00Z', modified: '2020-10-08T00:00:00Z' });
    expect(pick([c('Deadline: 15. März 2020', 'text')]).published).toBeNull();
  });

  it('reads ambiguous numeric dates by the page language', () => {
    expect(pick([c('07/10/2020', 'meta')], [], { lang: 'de' }).published).toBe('2020-10-07T00:00:00Z');
    expect(pick([c('07/10/2020', 'meta')], [], { lang: 'en-US' }).published).toBe('2020-07-10T00:00:00Z');
    expect(pick([c('07/10/2020', 'meta')], [], { lang: 'en' }).published).toBeNull();
  });

  it('uses the body datelines and values whose role the producer decided', () => {
    expect(pick([], [], { datelines: ['الخميس 5 مايو 2022 - 10:00 ص'] }).published).toBe('2022-05-05T10:00:00Z');
    expect(resolveDates({ publishedAt: '2020-10-07T12:09:00+03:00', modifiedAt: 'not a date' }, { urls: [], lang: null, datelines: [], now })).toMatchObject({
      published: '2020-10-07T12:09:00+03:00',
      modified: null,
    });
  });
});

describe('leadingDatelines', () => {
  it('returns dateline blocks among the first body blocks only', () => {
    const rules = loadMetadataLineRules();
    const p = (text: string) => ({ kind: 'p' as const, text });
    const blocks = [p('كتب: فلان الفلاني'), p('الأربعاء 16 أكتوبر 2024 - 08:30 ص'), p('افتتحت البلدية سوقاً جديداً في 3 مارس 2024 وسط حضور كبير من الأهالي والتجار.')];
    expect(leadingDatelines(blocks, rules)).toEqual(['كتب: فلان الفلاني', 'الأربعاء 16 أكتوبر 2024 - 08:30 ص']);
    expect(leadingDatelines([...Array(5).fill(p('نص')), p('16 أكتوبر 2024')], rules)).toEqual([]);
    expect(leadingDatelines(blocks)).toEqual([]);
  });
});

describe('loadDateRules', () => {
  it('validates the word lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsclean-dates-'));
    const raw = JSON.parse(readFileSync(new URL('../../../config/rules/dates.json', import.meta.url), 'utf8'));
    const file = join(dir, 'dates.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(loadDateRules(file).monthOf.get('ديسمبر')).toBe(12);
    writeFileSync(file, JSON.stringify({ ...raw, months: { en: raw.months.en.slice(1) } }));
    expect(() => loadDateRules(file)).toThrow();
    writeFileSync(file, JSON.stringify({ ...raw, zones: { cet: '+1' } }));
    expect(() => loadDateRules(file)).toThrow();
  });

  it('keeps Hijri and Solar Hijri months apart from Gregorian ones and folds spelling variants to one key', () => {
    const rules = loadDateRules();
    expect(rules.monthOf.get('شوال')).toBeUndefined();
    expect(rules.calendarMonthOf.get('شوال')).toEqual(['islamic', 10]);
    expect(rules.calendarMonthOf.get('ارديبهشت')).toEqual(['persian', 2]);
    expect(rules.monthOf.get('اذار')).toBe(3);
    expect(rules.calendarMonthOf.get('اذر')).toEqual(['persian', 9]);
    expect(rules.monthOf.get('اغسطس')).toBe(8);
    expect(rules.monthOf.get('تشرينالاول')).toBe(10);
  });
});

describe('dates end to end (clean + normalize)', () => {
  // An invented page: a header with the date of today, a related list with its own
  // <time>s, a Hijri/Gregorian dateline under the headline and a meta date in the future.
  const html = `<!doctype html><html lang="ar" dir="rtl"><head><title>افتتاح جسر المشاة | جريدة المثال</title>
    <meta property="article:published_time" content="2099-01-01T00:00:00+03:00">
    <meta property="article:modified_time" content="الخميس، 05 مايو 2022 - 04:15 م">
  </head><body>
    <header class="site-header"><div class="today">الأحد 1 مايو 2022</div><nav><a href="/">الرئيسية</a></nav></header>
    <aside class="sidebar"><h3>الأكثر قراءة</h3><ul><li><a href="/x">خبر قديم</a><time datetime="2021-01-01">1 يناير</time></li></ul></aside>
    <main><div class="post"><h1>افتتاح جسر المشاة الجديد فوق النهر</h1>
      <div class="post-date">الأربعاء 3 شوال 1443هـ الموافق 4 مايو 2022 - 10:30 ص</div>
      <div class="entry-content">
        <p>افتتحت البلدية صباح اليوم جسراً جديداً للمشاة فوق النهر، بعد أعمال استمرت أكثر من عام كامل وسط متابعة الأهالي.</p>
        <p>وقال رئيس البلدية إن الجسر سيخفف الزحام عن الجسر القديم، وإن الإنارة ستعمل بالطاقة الشمسية طوال الليل.</p>
        <p>وأضاف أن البلدية تدرس إنشاء جسر ثانٍ في الجهة الشمالية من المدينة خلال السنوات المقبلة إذا توفر التمويل.</p>
      </div></div>
      <div class="related-posts"><article><h3>خبر آخر</h3><time datetime="2022-04-30">30 أبريل</time></article></div>
    </main></body></html>`;

  it('takes the dateline, never the future meta, the Hijri date, the header or related dates', () => {
    const config = defaultConfig();
    const page = clean({ source: 'bridge.html', url: 'https://news.example/local/bridge', html, encoding: 'utf-8', encodingSource: 'default' }, { rules: loadCleanRules(), config: config.clean });
    const article = normalize(page, config.normalize, loadNormalizeRules(), new Date('2022-05-06T12:00:00Z'));
    expect(article.publishedAt).toBe('2022-05-04T10:30:00Z');
    expect(article.modifiedAt).toBe('2022-05-05T16:15:00Z');
  });
});

describe('numeric Solar Hijri dates', () => {
  it('reads a year-first numeric date below the Gregorian range on a Persian page as Solar Hijri', () => {
    expect(scanDates('تاریخ انتشار: ۱۴۰۲/۰۵/۱۲ - ۰۸:۱۵')).toEqual([{ iso: '2023-08-03T08:15:00', label: 'published', converted: true }]);
  });
  it('skips a numeric date marked lunar Hijri («هـ») on a Persian page', () => {
    expect(scanDates('تاریخ: ۱۴۴۵/۰۲/۱۰ هـ')).toEqual([]);
  });
  it('leaves the same numbers alone on an Arabic page, and Gregorian numeric dates as they are', () => {
    expect(scanDates('تاريخ النشر: 1402/05/12')).toEqual([]);
    expect(scanDates('تاریخ انتشار: 2023/08/03')).toEqual([{ iso: '2023-08-03', label: 'published' }]);
  });
  it('reads a label whose Persian word holds a zero-width non-joiner', () => {
    expect(scanDates('آخرین به‌روزرسانی: ۱۳ مرداد ۱۴۰۲')[0]?.label).toBe('modified');
  });
});
