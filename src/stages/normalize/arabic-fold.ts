/**
 * A lossy "matching key" for text: two strings that a reader would call the
 * same phrase (hamza/alef variants, diacritics, tatweel, digits, punctuation,
 * case) fold to the same key. Used only to compare; never for output text.
 *
 * This runs on every paragraph, so after NFKC and lower-casing the rest is
 * one pass over the code units with a per-character result table, instead of
 * a chain of Unicode-property regex replaces (about 3x slower overall).
 */

// Harakat, Quranic annotation marks and superscript alef.
const ARABIC_MARK = /^[\u064B-\u065F\u0670\u06D6-\u06ED]$/;
// Tatweel plus format characters (ZWNJ/ZWJ, bidi marks, BOM, soft hyphen):
// invisible, so they must not make two keys differ.
const INVISIBLE = /^[\u0640\p{Cf}]$/u;
// Punctuation and symbols (incl. ، ؛ ؟ « » and arrows/bullets) become spaces, as does whitespace.
const SPACE_LIKE = /^[\p{P}\p{S}\s]$/u;

/** Fold results besides a character: nothing, or a (collapsible) space. */
const DROP = -1;
const SPACE = 0x20;

/** Letter variants folded to one form; anything else is returned unchanged. */
function mapLetter(c: number): number {
  switch (c) {
    case 0x0622: // آ
    case 0x0623: // أ
    case 0x0625: // إ
    case 0x0671: // ٱ
      return 0x0627; // ا
    case 0x0649: // ى
    case 0x0626: // ئ
    case 0x06cc: // ی (Persian keyboard ya)
      return 0x064a; // ي
    case 0x0629: // ة
      return 0x0647; // ه
    case 0x0624: // ؤ
      return 0x0648; // و
    case 0x06a9: // ک (Persian keyboard kaf)
      return 0x0643; // ك
    default:
      // Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits → ASCII.
      if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06f0 && c <= 0x06f9)) return 0x30 + (c & 0xf);
      return c;
  }
}

/** DROP, SPACE, or the character's folded form. `ch` is one code point. */
function fold1(ch: string): number {
  if (ARABIC_MARK.test(ch) || INVISIBLE.test(ch)) return DROP;
  if (SPACE_LIKE.test(ch)) return SPACE;
  return ch.length === 1 ? mapLetter(ch.charCodeAt(0)) : ch.codePointAt(0)!;
}

// Per-code-unit results, learned on first sight. Surrogates are stored as
// themselves and resolved as pairs in the loop.
const UNKNOWN = -2;
const bmp = new Int32Array(0x10000).fill(UNKNOWN);
const astral = new Map<number, number>();

function learn(c: number): number {
  return (bmp[c] = c >= 0xd800 && c <= 0xdfff ? c : fold1(String.fromCharCode(c)));
}

function foldAstral(cp: number): number {
  let k = astral.get(cp);
  if (k === undefined) astral.set(cp, (k = fold1(String.fromCodePoint(cp))));
  return k;
}

/**
 * Code units below U+0300 that NFKC leaves as they are (ASCII, most of
 * Latin-1 and Latin Extended; not NBSP, "ª", "²", "ſ"…). None of them
 * composes with a neighbour, so a text made only of them is NFKC already
 * (checked over all pairs): Latin text skips ICU's normalizer.
 */
const NFKC_TABLE_END = 0x300;
const nfkcStable = new Uint8Array(NFKC_TABLE_END);
for (let c = 0; c < NFKC_TABLE_END; c++) nfkcStable[c] = String.fromCharCode(c).normalize('NFKC') === String.fromCharCode(c) ? 1 : 0;

const isNfkcStable = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= NFKC_TABLE_END || nfkcStable[c] === 0) return false;
  }
  return true;
};

/**
 * Output buffer reused across calls (a key is never longer than its input).
 * Longer inputs get a buffer of their own, so one huge paragraph doesn't stay
 * in memory.
 */
const SHARED_UNITS = 1 << 16;
const shared = new Uint16Array(SHARED_UNITS);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The first `n` code units as a string. Buffer's UTF-16 decoder is far faster
 * than String.fromCharCode over the units; it reads little-endian bytes.
 */
function unitsToString(units: Uint16Array, n: number): string {
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, n * 2).toString('utf16le');
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(units[i]!);
  return s;
}

export function foldForMatching(s: string): string {
  const t = (isNfkcStable(s) ? s : s.normalize('NFKC')).toLowerCase();
  const length = t.length;
  const out = length <= SHARED_UNITS ? shared : new Uint16Array(length);
  let n = 0;
  // A space is written only when a kept character follows: runs collapse and ends are trimmed.
  let pendingSpace = false;
  // Whether the key is `t` itself so far (nothing dropped, mapped or collapsed): then no new string is built.
  let same = true;
  for (let i = 0; i < length; i++) {
    const c = t.charCodeAt(i);
    let o = bmp[c]!;
    if (o === UNKNOWN) o = learn(c);
    if (o >= 0xd800 && o <= 0xdbff && i + 1 < length) {
      // A high surrogate: the pair is one code point (an emoji is a symbol → space).
      const next = t.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        const cp = foldAstral(((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000);
        if (cp > 0xffff) {
          // Kept as it is: both units.
          if (pendingSpace) {
            out[n++] = SPACE;
            pendingSpace = false;
          }
          out[n++] = c;
          out[n++] = next;
          continue;
        }
        o = cp;
      }
    }
    if (o === DROP) {
      same = false;
      continue;
    }
    if (o === SPACE) {
      if (c !== SPACE || pendingSpace || n === 0) same = false;
      pendingSpace = n > 0;
      continue;
    }
    if (pendingSpace) {
      out[n++] = SPACE;
      pendingSpace = false;
    }
    if (o !== c) same = false;
    out[n++] = o;
  }
  return same && !pendingSpace ? t : unitsToString(out, n);
}

// Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits → ASCII.
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const toAsciiDigit = (d: string): string => String(d.charCodeAt(0) & 0xf);

/** Arabic-Indic / Persian digits → ASCII, nothing else (for parsing dates etc.). */
export function asciiDigits(s: string): string {
  return s.replace(DIGITS, toAsciiDigit);
}
