/**
 * Output-text normalization of one paragraph. Faithful: diacritics, digits,
 * ZWNJ/ZWJ and letters are kept; only invisible noise and spacing change.
 */
import { decodeHTMLStrict } from 'entities';
import type { Config } from '../../config/schema.js';

export type UnicodeOptions = Pick<
  Config['normalize'],
  'nfc' | 'collapseWhitespace' | 'stripInvisibles' | 'foldPresentationForms' | 'removeTatweel' | 'decodeEntities' | 'tidyPunctuation'
>;

// Arabic presentation forms A and B (contextual glyphs, lam-alef ligatures).
// U+FEFF (BOM) sits in that block but is handled as an invisible. The
// honorific word ligatures ﷺ ﷻ are left alone: writers use them as symbols.
const PRESENTATION_FORMS = /[\uFB50-\uFDF9\uFDFC-\uFDFF\uFE70-\uFEFE]+/g;

// Zero-width space, BOM, word joiner, soft hyphen, and bidi controls
// (LRM/RLM, ALM, embeddings/overrides, isolates). ZWNJ U+200C / ZWJ U+200D
// are meaningful in Persian, Urdu and Indic scripts and are kept.
const INVISIBLES = /[\u200B\uFEFF\u2060\u00AD\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

// NBSP, Ogham space, en/em/thin/hair spaces, narrow NBSP, math and ideographic space.
const ODD_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
// Whitespace runs that are not already a single plain space: collapsing only
// those gives the same text as replacing every /\s+/, at half the cost.
const SPACE_RUNS = /\s{2,}|[^\S ]/g;

/** JavaScript's \s (WhiteSpace and LineTerminator), as a code unit test. */
export const isJsSpace = (c: number): boolean =>
  c <= 32
    ? c === 32 || (c >= 9 && c <= 13)
    : c >= 0xa0 &&
      (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff);

/** No limit for countWords: more words than any string can hold, and a small integer (a double would slow the loop). */
const NO_LIMIT = 2 ** 30 - 1;

/**
 * Words of `s` split at \s runs: s.split(/\s+/).filter(Boolean).length, without the array.
 * With `atMost`, counting stops once past it: any count over `atMost` is `atMost + 1`.
 */
export function countWords(s: string, atMost = NO_LIMIT): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = isJsSpace(s.charCodeAt(i));
    if (!space && !inWord && ++n > atMost) return n;
    inWord = !space;
  }
  return n;
}

/** Plain spaces (U+0020) in `s`: a folded key's words less one. With `atMost`, any count over it is `atMost + 1`. */
export function countSpaces(s: string, atMost = NO_LIMIT): number {
  let n = 0;
  for (let i = s.indexOf(' '); i >= 0 && n <= atMost; i = s.indexOf(' ', i + 1)) n++;
  return n;
}

export function foldPresentationForms(s: string): string {
  return s.replace(PRESENTATION_FORMS, (m) => m.normalize('NFKC'));
}

const TATWEEL = /\u0640/g;

// Entities left in the text after parsing: pages that escaped twice ("&amp;quot;")
// or CMS fields stored escaped. Strict decoding: only "&name;" / "&#n;" forms.
const ENTITY = /&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/i;

// Stray spaces: before , . ، ؛ ؟ and closing brackets; after opening brackets;
// before ! ? : ; only after Arabic script (French puts a space there on purpose).
const SPACE_BEFORE_PUNCT = /[ ]+(?=[,.،؛؟)\]}»](?:\s|$|[^\d.]))/g;
const SPACE_AFTER_OPEN = /([(\[{«])[ ]+/g;
// The same without guillemets, for text that quotes »so« (German, Danish…): there » opens and « closes.
const SPACE_BEFORE_PUNCT_ONLY = /[ ]+(?=[,.،؛؟)\]}](?:\s|$|[^\d.]))/g;
const SPACE_AFTER_BRACKET = /([(\[{])[ ]+/g;
const ARABIC_SPACE_BEFORE = /([\u0600-\u06FF\u0750-\u077F])[ ]+(?=[!?:;])/g;

/** Tidy spaces around punctuation (Arabic and Latin); numbers like " .5" are left alone. */
export function tidyPunctuationSpaces(s: string): string {
  const open = s.indexOf('»');
  // »Quote« style: the first guillemet is », so the space before it is a word space.
  const mirrored = open >= 0 && (s.indexOf('«') < 0 || open < s.indexOf('«'));
  if (mirrored) return s.replace(SPACE_BEFORE_PUNCT_ONLY, '').replace(SPACE_AFTER_BRACKET, '$1').replace(ARABIC_SPACE_BEFORE, '$1');
  return s.replace(SPACE_BEFORE_PUNCT, '').replace(SPACE_AFTER_OPEN, '$1').replace(ARABIC_SPACE_BEFORE, '$1');
}

// What a text holds that a normalization step acts on (textFlags). A step
// whose flag is clear would leave the text as it is, so it is skipped.
const F_INVISIBLE = 1;
const F_PRESENTATION = 2;
/** A code unit from U+0300 up: below it every character is already NFC (none composes or reorders). */
const F_NON_NFC_SAFE = 4;
const F_TATWEEL = 8;
/** A \s other than U+0020, or two \s in a row: what ODD_SPACES and SPACE_RUNS match. */
const F_SPACES = 16;
/** A \s before , . ، ؛ ؟ ) ] } » ! ? : ; or after ( [ { «: where a tidyPunctuationSpaces pattern could match. */
const F_TIDY = 32;

const isTidyAfterSpace = (c: number): boolean =>
  c === 0x2c || c === 0x2e || c === 0x29 || c === 0x5d || c === 0x7d || c === 0x21 || c === 0x3f || c === 0x3a || c === 0x3b ||
  c === 0xbb || c === 0x60c || c === 0x61b || c === 0x61f;
const isOpening = (c: number): boolean => c === 0x28 || c === 0x5b || c === 0x7b || c === 0xab;

/** Flags of a code unit from U+00A0 up (INVISIBLES, PRESENTATION_FORMS, tatweel, NFC). */
function rareFlags(c: number): number {
  if (c === 0xad) return F_INVISIBLE;
  if (c < 0x300) return 0;
  if (c === 0x640) return F_NON_NFC_SAFE | F_TATWEEL;
  if (c === 0x200b || c === 0xfeff || c === 0x2060 || c === 0x61c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
    return F_NON_NFC_SAFE | F_INVISIBLE;
  }
  if ((c >= 0xfb50 && c <= 0xfdf9) || (c >= 0xfdfc && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefe)) return F_NON_NFC_SAFE | F_PRESENTATION;
  return F_NON_NFC_SAFE;
}

/** One pass over `t` for the F_* flags. */
function textFlags(t: string): number {
  let f = 0;
  let prev = 0;
  let prevSpace = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const space = isJsSpace(c);
    if (space) {
      if (prevSpace || c !== 32) f |= F_SPACES;
      if (isOpening(prev)) f |= F_TIDY;
    } else if (prevSpace && isTidyAfterSpace(c)) f |= F_TIDY;
    if (c >= 0xa0) f |= rareFlags(c);
    prevSpace = space;
    prev = c;
  }
  return f;
}

/**
 * Normalize a paragraph. With `keepLineBreaks` (pre/table blocks) line
 * structure survives: spaces collapse within lines and blank edge lines go.
 * Each step runs only when the text holds what it acts on (textFlags); the
 * flags are taken again after a step that changed the text.
 */
export function normalizeText(s: string, opts: UnicodeOptions, keepLineBreaks = false): string {
  if (keepLineBreaks) return normalizeLines(s, opts);
  let t = s;
  if (opts.decodeEntities && t.includes('&') && ENTITY.test(t)) t = decodeHTMLStrict(t);
  let f = textFlags(t);
  if (opts.stripInvisibles && f & F_INVISIBLE) f = textFlags((t = t.replace(INVISIBLES, '')));
  if (opts.foldPresentationForms && f & F_PRESENTATION) f = textFlags((t = foldPresentationForms(t)));
  if (opts.nfc && f & F_NON_NFC_SAFE) {
    const n = t.normalize('NFC');
    if (n !== t) f = textFlags((t = n));
  }
  if (opts.removeTatweel && f & F_TATWEEL) f = textFlags((t = t.replace(TATWEEL, '')));
  // Collapsing turns a \s run into one space where a \s already stood: F_TIDY still holds for the result.
  if (opts.collapseWhitespace && f & F_SPACES) t = t.replace(ODD_SPACES, ' ').replace(SPACE_RUNS, ' ');
  if (opts.tidyPunctuation && f & F_TIDY) t = tidyPunctuationSpaces(t);
  return t.trim();
}

/** normalizeText for pre/table blocks: every step, line by line. */
function normalizeLines(s: string, opts: UnicodeOptions): string {
  let t = s;
  if (opts.decodeEntities && t.includes('&') && ENTITY.test(t)) t = decodeHTMLStrict(t);
  if (opts.stripInvisibles) t = t.replace(INVISIBLES, '');
  if (opts.foldPresentationForms) t = foldPresentationForms(t);
  if (opts.nfc) t = t.normalize('NFC');
  if (opts.removeTatweel && t.includes('\u0640')) t = t.replace(TATWEEL, '');
  if (opts.collapseWhitespace) {
    t = t
      .replace(ODD_SPACES, ' ')
      .replace(LINE_BREAKS, '\n')
      .split('\n')
      .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
  }
  return t.trim();
}
