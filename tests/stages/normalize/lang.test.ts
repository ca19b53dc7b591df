import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalLangTag, directionFor, languageSample, normalizeLang } from '../../../src/stages/normalize/lang.js';

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

  it('samples the title and paragraphs only as far as the tally reads', () => {
    const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} ` + 'word '.repeat(i % 7 === 0 ? 200 : 3));
    const whole = ['A made-up headline', ...paragraphs.slice(0, 50)].join('\n');
    const sample = languageSample('A made-up headline', paragraphs);
    expect(sample.length).toBeLessThan(whole.length);
    expect(sample.slice(0, 3000)).toBe(whole.slice(0, 3000));
    // Short texts: everything, at most 50 paragraphs.
    expect(languageSample(null, ['one', 'two'])).toBe('\none\ntwo');
    expect(languageSample('t', Array(60).fill('x'))).toBe(['t', ...Array(50).fill('x')].join('\n'));
  });

  it('gives the same direction as per-script regex counts', () => {
    const alphabet = [...'aZé ،1٣ابجדהвгαβ中文ひカ한ไทยܐހߊ\uD800\uDC00', '𠀀', '😀', '𐤀'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(fc.property(text, fc.constantFrom('ar', 'en', null), (s, lang) => directionFor(lang, s) === referenceDirection(lang, s)), {
      numRuns: 5000,
    });
  });
});

/**
 * The script rules out impossible declarations; the detector (ELD) picks the
 * language within the script. Texts are long enough (≥ 200 letters) for the
 * detector to overrule a declaration unless noted.
 */
describe('normalizeLang with the detector', () => {
  const ar =
    'أعلنت وزارة الزراعة أمس عن خطة جديدة لدعم صغار المزارعين في المناطق الريفية، وتشمل الخطة توزيع البذور المحسنة وتقديم قروض ميسرة بفوائد منخفضة خلال الموسم المقبل. وقال المتحدث باسم الوزارة إن الخطة ستبدأ في القرى الجنوبية أولاً ثم تمتد إلى باقي المحافظات قبل نهاية العام.';
  const fa =
    'وزارت کشاورزی روز گذشته از طرح تازه‌ای برای حمایت از کشاورزان خرد در مناطق روستایی خبر داد. این طرح شامل توزیع بذرهای اصلاح‌شده و پرداخت وام‌های کم‌بهره در فصل آینده است. سخنگوی وزارتخانه گفت که اجرای طرح از روستاهای جنوبی آغاز می‌شود و تا پایان سال به همه استان‌ها می‌رسد.';
  const ur =
    'وزارت زراعت نے کل دیہی علاقوں میں چھوٹے کسانوں کی مدد کے لیے ایک نئے منصوبے کا اعلان کیا۔ اس منصوبے میں بہتر بیجوں کی تقسیم اور اگلے موسم میں کم سود پر قرضے شامل ہیں۔ وزارت کے ترجمان نے کہا کہ منصوبہ پہلے جنوبی دیہات میں شروع ہوگا اور سال کے آخر تک تمام صوبوں تک پہنچ جائے گا۔';
  const ps =
    'د کرنې وزارت پرون د کلیوالو سیمو د کوچنیو بزګرانو د ملاتړ لپاره یو نوی پلان اعلان کړ، چې په راتلونکي فصل کې ښه تخمونه او ارزانه پورونه پکې شامل دي. د وزارت ویاند وویل چې پلان به لومړی په سویلي کلیو کې پیل شي او د کال تر پایه به ټولو ولایتونو ته ورسېږي.';
  const en =
    'The ministry of agriculture announced a new plan yesterday to support small farmers in rural areas. The plan includes improved seeds and low-interest loans next season. A spokesman said the plan would start in the southern villages first and reach every province before the end of the year.';
  const de =
    'Das Landwirtschaftsministerium hat gestern einen neuen Plan zur Unterstützung kleiner Bauern in ländlichen Gebieten angekündigt. Der Plan umfasst besseres Saatgut und günstige Kredite in der nächsten Saison. Ein Sprecher sagte, der Plan beginne zuerst in den südlichen Dörfern.';
  const fr =
    "Le ministère de l'Agriculture a annoncé hier un nouveau plan pour soutenir les petits agriculteurs des zones rurales. Le plan comprend des semences améliorées et des prêts à faible taux la saison prochaine. Un porte-parole a indiqué que le plan commencerait dans les villages du sud.";
  const es =
    'El ministerio de Agricultura anunció ayer un nuevo plan para apoyar a los pequeños agricultores de las zonas rurales. El plan incluye semillas mejoradas y préstamos a bajo interés la próxima temporada. Un portavoz dijo que el plan empezará en los pueblos del sur.';
  const no =
    'Landbruksdepartementet la i går fram en ny plan for å hjelpe småbønder i distriktene. Planen omfatter bedre såkorn og billige lån neste sesong. En talsperson sa at arbeidet starter i de sørlige bygdene og skal nå hele landet før årsskiftet.';

  it.each([
    ['an Arabic page declaring en-US is Arabic', 'en-US', ar, 'ar'],
    ['Arabic declared with a region keeps it', 'ar-EG', ar, 'ar-EG'],
    ['Persian declared as Arabic is Persian', 'ar', fa, 'fa'],
    ['Arabic declared as Persian is Arabic', 'fa-IR', ar, 'ar'],
    ['Persian, nothing declared', null, fa, 'fa'],
    ['Urdu declared as Arabic is Urdu', 'ar', ur, 'ur'],
    ['Urdu, nothing declared', null, ur, 'ur'],
    ['a language the detector does not know is trusted (Pashto)', 'ps', ps, 'ps'],
    ['English declared en-US stays en-US', 'en-US', en, 'en-US'],
    ['English text on a page declaring de is English', 'de-DE', en, 'en'],
    ['German declared as English is German', 'en', de, 'de'],
    ['French, nothing declared', null, fr, 'fr'],
    ['Spanish declared as en is Spanish', 'en', es, 'es'],
    ['close languages: Norwegian declared as Danish stays Danish', 'da', no, 'da'],
    ['Latin text declared Arabic is detected', 'ar', en, 'en'],
  ])('%s', (_name, declared, text, expected) => {
    expect(normalizeLang(declared, null, text)).toBe(expected);
  });

  it.each([
    ['short text: the declaration stands', 'de-DE', 'The council opened a new market for farmers', 'de-DE'],
    ['short Arabic-script text: the declaration stands', 'ur', 'افتتحت البلدية سوقا جديدا للمزارعين في وسط المدينة', 'ur'],
    ['too little text to detect, nothing declared', null, 'A short one', null],
  ])('%s', (_name, declared, text, expected) => {
    expect(normalizeLang(declared, null, text)).toBe(expected);
  });

  it('uses the content-language meta when <html lang> is missing', () => {
    expect(normalizeLang(null, 'en_GB', en)).toBe('en-GB');
    expect(normalizeLang(null, 'en_GB', ar)).toBe('ar');
  });

  it('gives the direction of the script', () => {
    expect(directionFor(normalizeLang('en-US', null, ar), ar)).toBe('rtl');
    expect(directionFor(normalizeLang(null, null, fa), fa)).toBe('rtl');
    expect(directionFor(normalizeLang('ar', null, en), en)).toBe('ltr');
  });
});

describe('canonicalLangTag: one BCP 47 form', () => {
  it.each<[string | null, string | null]>([
    ['AR', 'ar'],
    ['ar-AR', 'ar'],
    ['ar_ar', 'ar'],
    ['en-EN', 'en'],
    ['fa-FA', 'fa'],
    ['en-us', 'en-US'],
    ['EN-us', 'en-US'],
    ['ar_EG', 'ar-EG'],
    ['de-DE', 'de-DE'],
    ['fr-fr', 'fr-FR'],
    ['sv-SE', 'sv-SE'],
    ['es-419', 'es-419'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['ar-XX', 'ar'],
    ['en-GB-oxendict', 'en-GB'],
    ['und', null],
    ['', null],
    [null, null],
  ])('%s → %s', (tag, want) => {
    expect(canonicalLangTag(tag)).toBe(want);
  });
});
