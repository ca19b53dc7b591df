/**
 * A lossy "matching key" for text: two strings that a reader would call the
 * same phrase (hamza/alef variants, diacritics, tatweel, digits, punctuation,
 * case) fold to the same key. Used only to compare; never for output text.
 */

// Harakat, Quranic annotation marks and superscript alef.
const ARABIC_MARKS = /[\u064B-\u065F\u0670\u06D6-\u06ED]/g;
// Tatweel plus format characters (ZWNJ/ZWJ, bidi marks, BOM, soft hyphen):
// invisible, so they must not make two keys differ.
const INVISIBLES = /[\u0640\p{Cf}]/gu;
const ALEFS = /[\u0622\u0623\u0625\u0671]/g; // آ أ إ ٱ
// Punctuation and symbols (incl. ، ؛ ؟ « » and arrows/bullets) become spaces.
const PUNCT = /[\p{P}\p{S}]/gu;
const SPACES = /\s+/gu;

const LETTER_MAP: Record<string, string> = {
  '\u0649': '\u064A', // ى → ي
  '\u0629': '\u0647', // ة → ه
  '\u0624': '\u0648', // ؤ → و
  '\u0626': '\u064A', // ئ → ي
  // Persian keyboard forms of ي and ك, common in Arabic text typed on them.
  '\u06CC': '\u064A', // ی → ي
  '\u06A9': '\u0643', // ک → ك
};
const LETTERS = /[\u0649\u0629\u0624\u0626\u06CC\u06A9]/g;

// Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits → ASCII.
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const toAsciiDigit = (d: string): string => String(d.charCodeAt(0) & 0xf);

export function foldForMatching(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(ARABIC_MARKS, '')
    .replace(INVISIBLES, '')
    .replace(ALEFS, '\u0627')
    .replace(LETTERS, (c) => LETTER_MAP[c] ?? c)
    .replace(DIGITS, toAsciiDigit)
    .replace(PUNCT, ' ')
    .replace(SPACES, ' ')
    .trim();
}

/** Arabic-Indic / Persian digits → ASCII, nothing else (for parsing dates etc.). */
export function asciiDigits(s: string): string {
  return s.replace(DIGITS, toAsciiDigit);
}
