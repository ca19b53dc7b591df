/**
 * Statistical language detection, the second opinion after the script tally
 * (lang.ts): which language of the script the text is in (Arabic, Persian
 * or Urdu; English or German). Wraps ELD (npm `eld`, Efficient Language
 * Detector: n-gram scores for 60 languages, pure JavaScript, no native code).
 * The "extrasmall" database loads fastest. Detection reads the first 500
 * characters: its cost grows with the text, and on the extraction-dev pages
 * 500 gave the same languages as ELD's own limit of 1000.
 */
import { eld } from 'eld/extrasmall';

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
