/**
 * Statistical language detection, the second opinion after the script tally
 * (lang.ts): which language of the script the text is in (Arabic, Persian
 * or Urdu; English or German). Wraps ELD (npm `eld`, Efficient Language
 * Detector: n-gram scores for 60 languages, pure JavaScript, no native code).
 * The "extrasmall" database loads fastest. Detection reads the first 500
 * characters: its cost grows with the text, and on the extraction-dev pages
 * 500 gave the same languages as ELD's own limit of 1000.
 *
 * ELD's detector runs on its database packed (packed-ngrams.ts): ~4 MB of
 * heap per thread instead of ~28 MB. The detector and the database are
 * loaded from ELD's own files (the package exports only ready-made
 * instances, each holding the unpacked database for good); the version is
 * pinned in the lockfile, and tests/stages/normalize/detect-lang.test.ts
 * checks every score against ELD's detector on an unpacked copy.
 */
import { type NgramTable, isNgramView, ngramView, packNgrams } from './packed-ngrams.js';

interface EldResult {
  language: string;
  isReliable(): boolean;
  getScores(): Record<string, number>;
}
interface Eld {
  detect(text: string): EldResult;
  info(): { Languages: Record<string, string> };
}
interface NgramsData { type: string; languages: Record<string, string>; ngrams: NgramTable }

const ELD_ENTRY = import.meta.resolve('eld'); // eld/src/entries/dynamic.js
const { createEld } = (await import(new URL('../languageDetector.js', ELD_ENTRY).href)) as {
  createEld(): { instance: Eld; loadData(data: NgramsData): unknown };
};
const { ngramsData } = (await import(new URL('../ngrams/extrasmall.js', ELD_ENTRY).href)) as { ngramsData: NgramsData };

const eld = ((): Eld => {
  // ELD's module keeps ngramsData for good: the packed view replaces the
  // unpacked table there, so the table can be collected.
  if (!isNgramView(ngramsData.ngrams)) ngramsData.ngrams = ngramView(packNgrams(ngramsData.ngrams));
  const { instance, loadData } = createEld();
  loadData(ngramsData);
  return instance;
})();

const MAX_CHARS = 500;

/** ISO 639-1 codes ELD can return. A declared language outside this set can't be contradicted. */
const KNOWN = new Set(Object.values(eld.info().Languages));

export interface Detection {
  /** ISO 639-1 code. */
  lang: string;
  /** ELD's own test: enough n-grams, a score near the language's usual, a gap to the runner-up. */
  reliable: boolean;
  /** How far the detected language's score (0..1) is ahead of `other`'s (0 if `other` never scored). */
  leadOver(other: string): number;
}

export const isDetectable = (lang: string): boolean => KNOWN.has(lang);

export function detectLanguage(text: string): Detection | null {
  const result = eld.detect(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  if (!result.language) return null;
  let scores: Record<string, number> | undefined;
  return {
    lang: result.language,
    reliable: result.isReliable(),
    leadOver(other) {
      scores ??= result.getScores();
      return (scores[result.language] ?? 0) - (scores[other] ?? 0);
    },
  };
}
