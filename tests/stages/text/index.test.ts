import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultConfig } from '../../../src/config/schema.js';
import { loadNormalizeRules, normalize } from '../../../src/stages/normalize/index.js';
import { cleanText, loadTextRules } from '../../../src/stages/text/index.js';

const config = defaultConfig().normalize;
const normalizeRules = loadNormalizeRules();
const opts = { rules: loadTextRules(), phrases: normalizeRules.phrases, metaLines: normalizeRules.metadataLines, normalize: config };
const clean = (dump: string) => cleanText(dump, 'dump.txt', opts);
const texts = (dump: string): string[] => clean(dump).page.blocks.map((b) => b.text);
/** Through the normalize stage too, as the pipeline does. */
const article = (dump: string) => normalize(clean(dump).page, config, normalizeRules);

const P1 = 'The city council voted on Tuesday night to build a second bridge across the river.';
const P2 = 'The new crossing will carry two traffic lanes, a bus lane and a protected cycle path.';
const P3 = 'Supporters say the bridge will cut the morning queues on Harbour Road by half.';
const P4 = 'Opponents argued that the money would be better spent repairing the existing roads.';
const AR1 = 'افتتح محافظ المدينة صباح اليوم محطة جديدة لتحلية مياه البحر على الساحل الشمالي.';
const AR2 = 'وقال المحافظ إن المحطة ستغطي احتياجات نحو ثلاثمئة ألف نسمة من مياه الشرب.';
const AR3 = 'وأوضح مدير المشروع أن أعمال البناء استغرقت ثلاث سنوات كاملة.';

describe('cleanText', () => {
  it('returns a dump without boilerplate unchanged', () => {
    const paragraphs = [P1, 'What happens next', P2, P3, 'He declined to comment.', P4];
    expect(texts(paragraphs.join('\n\n'))).toEqual(paragraphs);
    expect(texts([AR1, AR2, AR3].join('\n'))).toEqual([AR1, AR2, AR3]);
  });

  it('drops menus and section labels above the body and headlines below it', () => {
    const dump = ['Home', 'World', 'Business', 'Local news', P1, P2, P3, 'Ferry timetable changes from April', 'Bakery celebrates 150 years'].join('\n');
    expect(texts(dump)).toEqual([P1, P2, P3]);
  });

  it('reads the title, byline and dateline into metadata, out of the text', () => {
    const r = clean(['Sport', 'Council approves second river bridge', 'By Jane Ortega', 'Published: 12 March 2024, 09:30', P1, P2].join('\n'));
    expect(r.page.meta.titles.h1).toBe('Council approves second river bridge');
    expect(r.page.meta.authors).toEqual(['By Jane Ortega']);
    expect(r.page.meta.publishedAt).toBe('12 March 2024, 09:30');
    expect(r.page.blocks.map((b) => b.text)).toEqual([P1, P2]);
    expect(r.dropped.map((d) => d.reason)).toEqual(['head', 'title', 'byline', 'dateline']);
  });

  it('drops «اقرأ أيضا» and the headline it links, inside the body', () => {
    expect(texts([AR1, 'اقرأ أيضا:', 'ارتفاع أسعار الخضار في الأسواق مع بداية الخريف', AR2, AR3].join('\n'))).toEqual([AR1, AR2, AR3]);
  });

  it('drops an unrelated headline between paragraphs, keeps a related subheading', () => {
    const dump = [P1, 'Celebrity chef opens seafood restaurant on the seafront', P2, 'Council bridge plan divides Harbour Road residents', P3, P4].join('\n');
    expect(texts(dump)).toEqual([P1, P2, 'Council bridge plan divides Harbour Road residents', P3, P4]);
  });

  it('cuts the tail at a comment section and drops the comment form', () => {
    const dump = [AR1, AR2, AR3, 'اترك تعليقاً', 'لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *', 'تعليق طويل من أحد القراء يقول فيه إن المشروع تأخر كثيراً وإن الأسعار سترتفع.', 'زر الذهاب إلى الأعلى'].join('\n');
    expect(texts(dump)).toEqual([AR1, AR2, AR3]);
  });

  it('drops a poll inside the body', () => {
    const dump = [P1, P2, 'Should the town build the bridge?', 'Yes', 'No', 'Vote', P3, P4].join('\n');
    expect(texts(dump)).toEqual([P1, P2, P3, P4]);
  });

  it('keeps one copy of a body captured twice (with the normalize stage)', () => {
    const dump = ['Council approves second river bridge', P1, P2, P3, 'Share this', 'Council approves second river bridge', P1, P2, P3].join('\n');
    const a = article(dump);
    expect(a.title).toBe('Council approves second river bridge');
    expect(a.paragraphs).toEqual([P1, P2, P3]);
  });

  it('an empty or prose-less dump has no blocks', () => {
    expect(texts('')).toEqual([]);
    expect(texts('Home\nNews\nSport')).toEqual([]);
  });

  it('keeps only input lines, in input order, and never throws', () => {
    const pieces = fc.constantFrom(P1, P2, P3, AR1, AR2, 'Home', 'Vote', 'Yes', 'اقرأ أيضا:', 'Comments', 'By Jane Doe', '', '• item', 'A headline of several words here');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const input = parts.map((p) => p.replace(/^• /, ''));
        const out = texts(parts.join('\n'));
        let k = 0;
        for (const t of out) {
          while (k < input.length && input[k] !== t) k++;
          expect(k).toBeLessThan(input.length);
          k++;
        }
      }),
    );
  });
});
