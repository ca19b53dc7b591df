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
 * heap per thread instead of ~28 MB. The build writes the packed database
 * to a file read in ~25 ms; without it (tests run from src/) ELD's module is
 * imported and packed at start-up (~0.3 s). The detector and the database
 * are loaded from ELD's own files (the package exports only ready-made
 * instances, each holding the unpacked database for good); the version is
 * pinned in the lockfile, and tests/stages/normalize/detect-lang.test.ts
 * checks every score against ELD's detector on an unpacked copy.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type NgramTable, type PackedDatabase, decodePacked, encodePacked, ngramView, packNgrams, packedBehind } from './packed-ngrams.js';

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
const NGRAMS_MODULE = new URL('../ngrams/extrasmall.js', ELD_ENTRY);
/** Written by `npm run build` (scripts/pack-language-model.mjs) beside the compiled module. */
export const PACKED_FILE = fileURLToPath(new URL('./eld-extrasmall.packed', import.meta.url));
/** Which ELD build a packed file came from: after an upgrade, a stale file is ignored. */
export const PACKED_STAMP = (() => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', ELD_ENTRY), 'utf8')) as { version: string };
  return `eld ${version} extrasmall ${statSync(NGRAMS_MODULE).size}`;
})();

const { createEld } = (await import(new URL('../languageDetector.js', ELD_ENTRY).href)) as {
  createEld(): { instance: Eld; loadData(data: NgramsData): unknown };
};

/** The packed file when it matches this ELD; else ELD's own module, packed here (~0.3 s). */
async function loadDatabase(): Promise<PackedDatabase> {
  let bytes: Buffer | null = null;
  try {
    bytes = readFileSync(PACKED_FILE);
  } catch {
    // not built (tests run from src/): pack ELD's module
  }
  const fromFile = bytes && decodePacked(bytes, PACKED_STAMP);
  if (fromFile) return fromFile;
  const { ngramsData } = (await import(NGRAMS_MODULE.href)) as { ngramsData: NgramsData };
  // ELD's module keeps ngramsData for good: the packed view replaces the
  // unpacked table there, so the table can be collected.
  const packed = packedBehind(ngramsData.ngrams) ?? packNgrams(ngramsData.ngrams);
  ngramsData.ngrams = ngramView(packed);
  return { type: ngramsData.type, languages: ngramsData.languages, packed };
}

const database = await loadDatabase();
const eld = ((): Eld => {
  const { instance, loadData } = createEld();
  loadData({ type: database.type, languages: database.languages, ngrams: ngramView(database.packed) });
  return instance;
})();

/** Write the packed file (the build does, once per install). */
export function writePackedDatabase(file: string = PACKED_FILE): void {
  writeFileSync(file, encodePacked(database, PACKED_STAMP));
}

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
