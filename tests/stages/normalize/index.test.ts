import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.js';
import { loadNormalizeRules, normalize } from '../../../src/stages/normalize/index.js';
import type { CleanedPage, RawMetadata, TextBlock } from '../../../src/shared/types.js';

const rules = loadNormalizeRules();
const config = defaultConfig().normalize;

const P1 = 'افتتحت بلدية المدينة صباح اليوم سوقاً جديداً للمزارعين في الساحة القديمة.';
const P2 = 'وقال رئيس\u00A0البلدية إن السوق سيفتح أبوابه ثلاثة أيام في الأسبوع طوال فصل الصيف.';
const P3 = 'وأضاف أن \uFEFFالمزارعين لن يدفعوا أي رسوم خلال الشهر الأول من\u200F التشغيل.';

function meta(over: Partial<RawMetadata> = {}): RawMetadata {
  return {
    htmlLang: 'en-US',
    htmlDir: null,
    canonicalUrl: '/news/market-opens',
    ogUrl: null,
    titles: { og: 'سوق جديد للمزارعين', jsonLd: null, meta: null, htmlTitle: 'سوق جديد للمزارعين | صحيفة المثال', h1: 'سوق جديد للمزارعين' },
    siteName: ' صحيفة المثال ',
    description: 'وصف  قصير\u200B للخبر',
    authors: ['كتب: أحمد المثالي', 'صحيفة المثال'],
    publishedAt: '2020-10-07T12:09:00+03:00',
    modifiedAt: 'not a date',
    section: ' اقتصاد ',
    tags: ['زراعة، أسواق', 'أسواق', ' '],
    image: 'img/market.jpg',
    types: ['article'],
    metaLang: null,
    ...over,
  };
}

function page(blocks: TextBlock[], over: Partial<RawMetadata> = {}): CleanedPage {
  return {
    source: 'pages/market.html',
    url: 'https://news.example/ar/2020/10/07/market.html',
    blocks,
    meta: meta(over),
    bodySource: 'scored',
    coverage: 0.6,
  };
}

const p = (text: string, kind: TextBlock['kind'] = 'p'): TextBlock => ({ kind, text });

describe('normalize', () => {
  it('turns a hand-built Arabic page into a clean article', () => {
    const article = normalize(
      page([
        p('سوق جديد للمزارعين', 'heading'),
        p(P1),
        p('  '),
        p('اقرأ أيضاً: أسعار الخضار تنخفض'),
        p(P2),
        p(P3),
        p('شارك'),
        p(P1),
        p(P2),
        p('الوسوم: زراعة'),
      ]),
      config,
      rules,
    );
    expect(article).toEqual({
      source: 'pages/market.html',
      url: 'https://news.example/ar/2020/10/07/market.html',
      canonicalUrl: 'https://news.example/news/market-opens',
      siteName: 'صحيفة المثال',
      title: 'سوق جديد للمزارعين',
      authors: ['أحمد المثالي'],
      sourceAgency: null,
      publishedAt: '2020-10-07T12:09:00+03:00',
      modifiedAt: null,
      dateSource: 'given',
      lang: 'ar',
      dir: 'rtl',
      description: 'وصف قصير للخبر',
      section: 'اقتصاد',
      tags: ['زراعة', 'أسواق'],
      image: 'https://news.example/ar/2020/10/07/img/market.jpg',
      paragraphs: [
        P1,
        'وقال رئيس البلدية إن السوق سيفتح أبوابه ثلاثة أيام في الأسبوع طوال فصل الصيف.',
        'وأضاف أن المزارعين لن يدفعوا أي رسوم خلال الشهر الأول من التشغيل.',
      ],
      foldedParagraphs: null,
    });
  });

  it('adds the search form of every paragraph when normalize.fold is on', () => {
    const article = normalize(page([p('قالت المُعلّمة إن المدرسة ستفتح في ٢٠٢٤.')]), { ...config, fold: true }, rules);
    expect(article.paragraphs).toEqual(['قالت المُعلّمة إن المدرسة ستفتح في ٢٠٢٤.']);
    expect(article.foldedParagraphs).toEqual(['قالت المعلمه ان المدرسه ستفتح في 2024.']);
  });

  it('respects switched-off steps', () => {
    const article = normalize(
      page([p('شارك'), p(P1), p(P1)]),
      { ...config, dropBoilerplateLines: false, dedupeBlocks: false },
      rules,
    );
    expect(article.paragraphs).toEqual(['شارك', P1, P1]);
  });

  it('keeps line breaks in tables and falls back to og:url / page url', () => {
    const table = normalize(page([p('a  |  b\nc | d', 'table')], { canonicalUrl: null, ogUrl: 'https://news.example/x' }), config, rules);
    expect(table.paragraphs).toEqual(['a | b\nc | d']);
    expect(table.canonicalUrl).toBe('https://news.example/x');
    const none = normalize(page([p(P1)], { canonicalUrl: null }), config, rules);
    expect(none.canonicalUrl).toBe('https://news.example/ar/2020/10/07/market.html');
  });

  it('handles an English page with a Latin-script body', () => {
    const article = normalize(
      page([p('The council opened a new market for farmers on Monday.'), p('Share this article')], {
        htmlLang: 'en-gb',
        titles: { og: null, jsonLd: null, meta: null, htmlTitle: 'New market opens - Example Daily', h1: null },
        siteName: 'Example Daily',
        authors: ['By Jane Roe and John Doe'],
      }),
      config,
      rules,
    );
    expect(article.title).toBe('New market opens');
    expect(article.lang).toBe('en-GB');
    expect(article.dir).toBe('ltr');
    expect(article.authors).toEqual(['Jane Roe', 'John Doe']);
    expect(article.paragraphs).toEqual(['The council opened a new market for farmers on Monday.']);
  });

  it('reports a credited agency as source_agency, reads bylines from the text, and strips confirmed names from the title', () => {
    const article = normalize(
      page([p('كتب: سامر يوسف - وكالات'), p(P1), p(P2)], {
        authors: [],
        titles: { og: null, jsonLd: null, meta: null, htmlTitle: 'سوق جديد للمزارعين - سامر يوسف - صحيفة المثال', h1: null, declared: null },
      }),
      config,
      rules,
    );
    expect(article.authors).toEqual(['سامر يوسف']);
    expect(article.sourceAgency).toBe('Agencies');
    expect(article.title).toBe('سوق جديد للمزارعين');
    expect(article.paragraphs).toEqual([P1, P2.replace('\u00A0', ' ')]);
  });

  it('finds the agency in a dateline; a declared agency with no person is the credit', () => {
    const article = normalize(page([p('بيروت (أ ف ب) - ' + P1)], { authors: ['رويترز'] }), config, rules);
    expect(article.authors).toEqual(['رويترز']);
    expect(article.sourceAgency).toBe('Reuters');
    const dateline = normalize(page([p('بيروت (أ ف ب) - ' + P1)], { authors: [] }), config, rules);
    expect(dateline.sourceAgency).toBe('AFP');
    expect(dateline.authors).toEqual([]);
  });

  it('strips an agency dateline from the first paragraph (dropDatelines, on by default), keeping it when turned off', () => {
    const blocks = [p('عمان --(بترا)-- ' + P1), p('BERLIN (dpa) – ' + P2)];
    const kept = normalize(page(blocks, { authors: [] }), { ...config, dropDatelines: false }, rules);
    expect(kept.paragraphs[0]).toBe('عمان --(بترا)-- ' + P1);
    expect(kept.sourceAgency).toBe('Petra');
    const stripped = normalize(page(blocks, { authors: [] }), { ...config, dropDatelines: true }, rules);
    expect(stripped.paragraphs[0]).toBe(P1);
    expect(stripped.paragraphs[1]).toContain('BERLIN (dpa)');
    expect(stripped.sourceAgency).toBe('Petra');
  });

  it('prefers the declared title, less the site name', () => {
    const article = normalize(
      page([p(P1)], { titles: { og: 'عنوان من الشبكات', jsonLd: null, meta: null, htmlTitle: 'سوق جديد | صحيفة المثال', h1: 'سوق جديد', declared: 'سوق جديد للمزارعين | صحيفة المثال' } }),
      config,
      rules,
    );
    expect(article.title).toBe('سوق جديد للمزارعين');
  });
});
