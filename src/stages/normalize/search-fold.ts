/**
 * The search form of Arabic text (opt-in `text_folded`, config normalize.fold):
 * the Lucene / Elasticsearch `arabic_normalization` rules, plus digits.
 * - alef with hamza above/below and madda (أ إ آ) and alef wasla (ٱ) → ا
 * - alef maqsura ى → ي, teh marbuta ة → ه
 * - tatweel and the harakat / Quranic marks (U+064B–U+065F, U+0670, U+06D6–U+06ED) removed
 * - Arabic-Indic and Extended (Persian) digits → ASCII
 * Everything else (Latin case, punctuation, other scripts) stays as it is.
 */
const LETTERS: Record<string, string> = { 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه' };
const FOLDED_LETTERS = /[أإآٱىة]/g;
const MARKS = /[\u0640\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

export function searchFold(text: string): string {
  return text
    .replace(MARKS, '')
    .replace(FOLDED_LETTERS, (c) => LETTERS[c]!)
    .replace(DIGITS, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}
