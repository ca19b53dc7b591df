/**
 * ELD's detect(), step for step, reading the packed database directly. ELD's
 * own scoring looks each n-gram up as an object (through ngramView, a fresh
 * one each time) and walks it with for-in; most of detection's time went
 * there and to building n-gram keys as properties of a plain object. Here
 * the n-grams are a Set and each one's scores are read from the typed arrays:
 * the same sums, so the same language, reliability and scores
 * (tests/stages/normalize/detect-lang.test.ts compares every score with ELD's
 * stock detector), in about a third of the time.
 *
 * The text steps (separators, lower case, ELD's byte dictionary, the 350/380
 * byte cut, 4-byte n-grams at a stride of 3) follow ELD 2.1.0's
 * src/languageDetector.js; detect-lang.ts uses this only for that release.
 */
import type { PackedDatabase } from './packed-ngrams.js';

/** What ELD's files give this module (detect-lang.ts reads them for the pinned release). */
export interface EldParts {
  /** src/regexPatterns.js: runs of non-letters (apostrophes inside words kept). */
  separators: RegExp;
  /** src/dictionary.js: one character per UTF-8 byte value. */
  dictionary: readonly string[];
  /** src/LanguageResult.js */
  LanguageResult: new (language: string, results: number[], numNgrams: number, langCodes: Record<string, string>) => DetectResult;
}

/** ELD's LanguageResult, as detect-lang.ts reads it (also what ELD's public detector returns). */
export interface DetectResult {
  language: string;
  isReliable(): boolean;
  getScores(): Record<string, number>;
}

/** ELD reads at most this many characters, cuts its byte words at the first space past CUT_AFTER bytes, and at any character past ENFORCE_CUT. */
const MAX_TEXT = 1000;
const CUT_AFTER = 350;
const ENFORCE_CUT = 380;
/** ELD's database stores scores minus this. */
const BASE_NGRAM_SCORE = 53;
const MAX_WORD_BYTES = 70;

/** ELD's strToUtf8Bytes: the text's words, each UTF-8 byte as one character of ELD's dictionary. */
function byteWords(str: string, dictionary: readonly string[]): string[] {
  let encoded = '';
  const words: string[] = [];
  let bytes = 0;
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      if (c === 32) {
        if (encoded !== '') {
          words.push(encoded);
          encoded = '';
        }
        if (bytes > CUT_AFTER) break;
      } else encoded += str[i];
      bytes++;
    } else if (c < 0x800) {
      encoded += dictionary[0xc0 | (c >> 6)]! + dictionary[0x80 | (c & 0x3f)]!;
      bytes += 2;
    } else if (c < 0xd800 || c >= 0xe000) {
      encoded += dictionary[0xe0 | (c >> 12)]! + dictionary[0x80 | ((c >> 6) & 0x3f)]! + dictionary[0x80 | (c & 0x3f)]!;
      bytes += 3;
    } else {
      i++;
      c = 0x10000 + (((c & 0x3ff) << 10) | (str.charCodeAt(i) & 0x3ff));
      encoded += dictionary[0xf0 | (c >> 18)]! + dictionary[0x80 | ((c >> 12) & 0x3f)]! + dictionary[0x80 | ((c >> 6) & 0x3f)]! + dictionary[0x80 | (c & 0x3f)]!;
      bytes += 4;
    }
    if (bytes > ENFORCE_CUT) break;
  }
  if (encoded !== '') words.push(encoded);
  return words;
}

/** ELD's getByteNgrams, as a Set. */
function byteNgrams(words: readonly string[]): Set<string> {
  const ngrams = new Set<string>();
  for (const word of words) {
    const len = Math.min(word.length, MAX_WORD_BYTES);
    let j = 0;
    for (; j + 4 < len; j += 3) ngrams.add((j === 0 ? ' ' : '') + word.substring(j, j + 4));
    ngrams.add((j === 0 ? ' ' : '') + word.substring(len !== 3 ? len - 4 : 0) + ' ');
  }
  return ngrams;
}

/** Each language's summed score over the n-grams (ELD's calculateScores). */
function scoreNgrams(ngrams: Set<string>, db: PackedDatabase, languages: number): number[] {
  const { numbers, ends, langs, scores } = db.packed;
  const sums = new Array<number>(languages).fill(0);
  for (const ngram of ngrams) {
    const i = numbers.get(ngram);
    if (i === undefined) continue;
    for (let j = i === 0 ? 0 : ends[i - 1]!; j < ends[i]!; j++) sums[langs[j]!]! += scores[j]! + BASE_NGRAM_SCORE;
  }
  return sums;
}

/** ELD's getMaxLang: the first language with the highest positive score, or -1. */
function maxLang(sums: readonly number[]): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < sums.length; i++) {
    if (sums[i]! > 0 && sums[i]! > bestScore) {
      bestScore = sums[i]!;
      best = i;
    }
  }
  return best;
}

/** A detector with ELD's detect(text) on `db`. */
export function packedDetector(db: PackedDatabase, eld: EldParts): (text: string) => DetectResult {
  const languages = Object.keys(db.languages).length;
  return (text) => {
    const cleaned = text.substring(0, MAX_TEXT).replace(eld.separators, ' ').trim().toLowerCase();
    const ngrams = byteNgrams(byteWords(cleaned, eld.dictionary));
    const sums = scoreNgrams(ngrams, db, languages);
    const best = maxLang(sums);
    if (best < 0) return new eld.LanguageResult('', [], 0, {});
    return new eld.LanguageResult(db.languages[best]!, sums, ngrams.size, db.languages);
  };
}
