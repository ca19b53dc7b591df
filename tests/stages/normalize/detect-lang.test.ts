import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ELD_VERSION, PACKED_STAMP, detectLanguage, isDetectable, writePackedDatabase } from '../../../src/stages/normalize/detect-lang.js';
import { decodePacked, ngramView, packedBehind } from '../../../src/stages/normalize/packed-ngrams.js';

// The reference: ELD's detector on a pristine, unpacked copy of its database
// (the query string makes the loader evaluate the file afresh, untouched by detect-lang.ts).
const ELD_ENTRY = import.meta.resolve('eld');
const { createEld } = await import(new URL('../languageDetector.js', ELD_ENTRY).href);
const { ngramsData: pristine } = await import(new URL('../ngrams/extrasmall.js?pristine', ELD_ENTRY).href);
const stockEld = (() => {
  const { instance, loadData } = createEld();
  loadData(pristine);
  return instance as { detect(text: string): { language: string; isReliable(): boolean; getScores(): Record<string, number> } };
})();

// Short texts in several scripts, written for this test; each sets a different part of the table to work.
const TEXTS = [
  'أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة يخدم آلاف المرضى',
  'وزارت بهداشت امروز از افتتاح یک بیمارستان جدید در شهر خبر داد که به هزاران بیمار خدمت می‌کند',
  'وزارت صحت نے آج شہر میں ایک نئے ہسپتال کے افتتاح کا اعلان کیا جو ہزاروں مریضوں کی خدمت کرے گا',
  'The health ministry announced today the opening of a new hospital that will serve thousands of patients',
  'Le ministère de la Santé a annoncé aujourd’hui l’ouverture d’un nouvel hôpital en ville',
  'Das Gesundheitsministerium hat heute die Eröffnung eines neuen Krankenhauses angekündigt',
  'Министерство здравоохранения сегодня объявило об открытии новой больницы',
  '卫生部今天宣布在该市开设一家新医院，为数千名患者提供服务',
  'Sağlık Bakanlığı bugün şehirde yeni bir hastanenin açıldığını duyurdu',
  'x',
  '12345 !!!',
];

/**
 * Longer and odder texts: past ELD's 350/380-byte cut (at a space and inside
 * a word), four-byte characters, apostrophes, digits and punctuation only
 * between words, upper case, one-letter and 70+ byte words.
 */
const EDGE_TEXTS = [
  TEXTS.slice(0, 9).join(' '),
  TEXTS[0]!.repeat(12),
  TEXTS[3]!.toUpperCase().repeat(6),
  `${'a'.repeat(90)} ${'بب'.repeat(50)} don’t rock'n'roll it\`s 2024-05-01 ${'x y '.repeat(40)}`,
  '😀 𝒜𝒷𝒸 emoji 𠜎𠜱 text 漢字 かな カナ 한국어 ไทย ελληνικά עברית',
  `${'word '.repeat(69)}averyveryverylongwordthatcrossesthecut`,
  ...[0, 1, 2, 3, 4, 5].map((k) => `${'hello '.repeat(57)}${'x'.repeat(k)}${'internationalization'.repeat(3)}`),
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => `${'x'.repeat(k)} ${TEXTS.slice(3, 9).join(' ')}`),
  '   ',
  '',
];

describe('detectLanguage on the packed database', () => {
  it('gives the language, reliability and scores of ELD’s stock instance', () => {
    expect(packedBehind(pristine.ngrams)).toBeNull();
    expect(Object.keys(pristine.ngrams).length).toBeGreaterThan(10000);
    for (const text of [...TEXTS, ...EDGE_TEXTS]) {
      const stock = stockEld.detect(text);
      const ours = detectLanguage(text);
      expect(ours?.lang ?? '', text).toBe(stock.language);
      if (!ours) continue;
      expect(ours.reliable, text).toBe(stock.isReliable());
      const scores = stock.getScores();
      for (const other of Object.keys(scores)) expect(ours.leadOver(other), `${text} vs ${other}`).toBeCloseTo((scores[stock.language] ?? 0) - scores[other]!, 12);
    }
  });

  it('tells Arabic, Persian and Urdu apart, and English from German', () => {
    expect(TEXTS.slice(0, 6).map((t) => detectLanguage(t)?.lang)).toEqual(['ar', 'fa', 'ur', 'en', 'fr', 'de']);
  });

  it('writes a packed file (as the build does) that holds every n-gram of ELD’s database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsclean-packed-'));
    try {
      writePackedDatabase(join(dir, 'db.packed'));
      const db = decodePacked(readFileSync(join(dir, 'db.packed')), PACKED_STAMP);
      expect(db).not.toBeNull();
      expect(db!.languages).toEqual(pristine.languages);
      const view = ngramView(db!.packed);
      const keys = Object.keys(pristine.ngrams);
      expect(db!.packed.numbers.size).toBe(keys.length);
      for (const key of keys) if (JSON.stringify(view[key]) !== JSON.stringify(pristine.ngrams[key])) expect(view[key], key).toEqual(pristine.ngrams[key]);
      expect(decodePacked(readFileSync(join(dir, 'db.packed')), `${PACKED_STAMP} (another build)`)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows the languages ELD can return', () => {
    expect(isDetectable('ar')).toBe(true);
    expect(isDetectable('ur')).toBe(true);
    expect(isDetectable('xx')).toBe(false);
  });

  it('reads ELD’s private files only for the release pinned in package.json (an upgrade must re-check eldInternals)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['eld']).toBe(ELD_VERSION);
    expect(PACKED_STAMP).toMatch(new RegExp(`^eld ${ELD_VERSION.replaceAll('.', '\\.')} extrasmall \\d+$`));
  });
});
