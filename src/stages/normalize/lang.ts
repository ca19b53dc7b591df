/**
 * Language tag (BCP 47 case) and text direction. The declared tag is often a
 * CMS default ("en-US" on an Arabic site), so it is cross-checked against the
 * script the text is actually written in, then against a language detector
 * (detect-lang.ts) for the language within the script.
 */
import { detectLanguage, isDetectable } from './detect-lang.js';

type Script = 'Arab' | 'Hebr' | 'Cyrl' | 'Grek' | 'Hani' | 'Jpan' | 'Kore' | 'Thai' | 'Latn';

/**
 * Letter tallies by script. Only letters (\p{L}) vote: Arabic digits and
 * punctuation carry no script. `rtlOther` is Syriac, Thaana and N'Ko.
 */
interface Tally {
  letters: number;
  arab: number;
  hebr: number;
  rtlOther: number;
  cyrl: number;
  grek: number;
  han: number;
  kana: number;
  hang: number;
  thai: number;
  latn: number;
}
type Bucket = Exclude<keyof Tally, 'letters'>;

/** Bucket of a letter's script; `other` for letters of other scripts, null for non-letters. */
const BUCKETS: [Bucket, RegExp][] = [
  ['arab', /\p{Script=Arabic}/u],
  ['hebr', /\p{Script=Hebrew}/u],
  ['rtlOther', /[\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u],
  ['cyrl', /\p{Script=Cyrillic}/u],
  ['grek', /\p{Script=Greek}/u],
  ['han', /\p{Script=Han}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hang', /\p{Script=Hangul}/u],
  ['thai', /\p{Script=Thai}/u],
  ['latn', /\p{Script=Latin}/u],
];
const LETTER = /\p{L}/u;
function bucketOf(ch: string): Bucket | 'other' | null {
  if (!LETTER.test(ch)) return null;
  return BUCKETS.find(([, re]) => re.test(ch))?.[0] ?? 'other';
}

// Per-character buckets, learned on first sight: testing each character
// against a dozen Unicode-property regexes is what made this slow.
const bucketCache = new Map<number, Bucket | 'other' | null>();
function cachedBucket(cp: number): Bucket | 'other' | null {
  let b = bucketCache.get(cp);
  if (b === undefined) bucketCache.set(cp, (b = bucketOf(String.fromCodePoint(cp))));
  return b;
}

/** Enough text to judge a script; keeps long articles cheap. */
const SAMPLE_CHARS = 3_000;
const MIN_LETTERS = 10;

/**
 * The text language and direction are judged on: the title, then paragraphs
 * (at most 50) only until SAMPLE_CHARS code units are in hand, as neither
 * reads further (the detector reads fewer still). The same first
 * SAMPLE_CHARS as joining every paragraph, without building a long string.
 */
export function languageSample(title: string | null, paragraphs: readonly string[]): string {
  const parts = [title ?? ''];
  let length = parts[0]!.length;
  for (let i = 0; i < paragraphs.length && i < 50 && length < SAMPLE_CHARS; i++) {
    parts.push(paragraphs[i]!);
    length += paragraphs[i]!.length + 1;
  }
  return parts.join('\n');
}

/** normalizeLang then directionFor tally the same sample: the last tally is kept. */
let lastTally: { text: string; tally: Tally } | undefined;

/** One pass over the first SAMPLE_CHARS code units of `text`. */
function tally(text: string): Tally {
  if (lastTally?.text === text) return lastTally.tally;
  const t = countScripts(text);
  lastTally = { text, tally: t };
  return t;
}

function countScripts(text: string): Tally {
  const t: Tally = { letters: 0, arab: 0, hebr: 0, rtlOther: 0, cyrl: 0, grek: 0, han: 0, kana: 0, hang: 0, thai: 0, latn: 0 };
  // Sliced first, as a regex over the sample would see it: a pair cut at the end is a lone surrogate.
  const s = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      // ASCII fast path: only A–Z / a–z are letters.
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) {
        t.letters++;
        t.latn++;
      }
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const b = cachedBucket(cp);
    if (b === null) continue;
    t.letters++;
    if (b !== 'other') t[b]++;
  }
  return t;
}

/** The script of at least half the letters, or null (mixed / too little text / other scripts). */
function dominantScript(t: Tally): Script | null {
  if (t.letters < MIN_LETTERS) return null;
  const major = (n: number): boolean => n * 2 >= t.letters;
  if (major(t.han + t.kana + t.hang)) {
    if (t.hang >= t.han + t.kana) return 'Kore';
    return t.kana * 10 >= t.han + t.kana ? 'Jpan' : 'Hani';
  }
  const simple: [Script, number][] = [
    ['Arab', t.arab], ['Hebr', t.hebr], ['Cyrl', t.cyrl], ['Grek', t.grek], ['Thai', t.thai], ['Latn', t.latn],
  ];
  for (const [script, n] of simple) if (major(n)) return script;
  return null;
}

/** Languages normally written in each script; the first is the fallback guess. */
const SCRIPT_LANGS: Record<Exclude<Script, 'Latn'>, string[]> = {
  Arab: ['ar', 'fa', 'ur', 'ps', 'ckb', 'ku', 'sd', 'ug', 'azb', 'ks', 'bal'],
  Hebr: ['he', 'yi', 'lad'],
  Cyrl: ['ru', 'uk', 'be', 'bg', 'mk', 'sr', 'kk', 'ky', 'tg', 'mn', 'tt', 'ba', 'cv', 'ce', 'os', 'sah', 'uz', 'az', 'tk'],
  Grek: ['el', 'grc'],
  // Kanji-only snippets of Japanese and Hanja in Korean also land here.
  Hani: ['zh', 'yue', 'wuu', 'hak', 'nan', 'gan', 'lzh', 'ja', 'ko'],
  Jpan: ['ja'],
  Kore: ['ko'],
  Thai: ['th'],
};
/** Languages never written in Latin script: Latin text declared as one of them is unknown. */
const NON_LATIN = new Set(['ar', 'fa', 'ur', 'ps', 'ckb', 'sd', 'ug', 'he', 'yi', 'ru', 'uk', 'be', 'bg', 'mk', 'el', 'zh', 'ja', 'ko', 'th']);
const LEGACY: Record<string, string> = { iw: 'he', in: 'id', ji: 'yi', jw: 'jv' };
const RTL_LANGS = new Set([...SCRIPT_LANGS.Arab.filter((l) => l !== 'ku'), ...SCRIPT_LANGS.Hebr, 'dv', 'syr', 'nqo']);

let regionNames: Intl.DisplayNames | undefined;

/**
 * A region subtag worth keeping: one ICU names (not "EN", not "ZZ"), and not
 * the language code repeated as a region when that region does not speak it
 * (a CMS's "ar-AR" is not Arabic of Argentina; "de-DE", "fr-FR" stay).
 */
function keepsRegion(base: string, region: string): boolean {
  const key = `${base}-${region}`;
  let keeps = regionVerdicts.get(key);
  if (keeps === undefined) {
    if (regionVerdicts.size >= 1000) regionVerdicts.clear();
    regionVerdicts.set(key, (keeps = judgeRegion(base, region)));
  }
  return keeps;
}

/** keepsRegion's verdicts: ICU's region names and likely subtags cost more than the rest of the tag's handling. */
const regionVerdicts = new Map<string, boolean>();

function judgeRegion(base: string, region: string): boolean {
  if (/^\d{3}$/.test(region)) return true;
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  if (region === 'ZZ' || regionNames.of(region) === undefined) return false;
  if (region !== base.toUpperCase()) return true;
  try {
    return new Intl.Locale(`und-${region}`).maximize().language === base;
  } catch {
    return false;
  }
}

/**
 * One form of BCP 47 tag for every record: language lowercase, script in
 * title case, region uppercase; variants and extensions dropped, and a bogus
 * region too (see keepsRegion). "en-us" → "en-US", "ar_EG" → "ar-EG",
 * "zh-hant-tw" → "zh-Hant-TW", "AR" / "ar-AR" → "ar"; the first tag of a
 * list; null if invalid.
 */
export function canonicalLangTag(tag: string | null | undefined): string | null {
  const first = tag?.trim().split(/[\s,;]+/)[0];
  if (!first) return null;
  const [lang = '', ...rest] = first.replace(/_/g, '-').split('-');
  let base = lang.toLowerCase();
  if (!/^[a-z]{2,3}$/.test(base) || base === 'und' || base === 'mul' || base === 'zxx') return null;
  base = LEGACY[base] ?? base;
  const out = [base];
  for (const part of rest) {
    if (/^[a-z]{4}$/i.test(part) && out.length === 1) out.push(part[0]!.toUpperCase() + part.slice(1).toLowerCase());
    else if (/^(?:[a-z]{2}|\d{3})$/i.test(part)) {
      if (keepsRegion(base, part.toUpperCase())) out.push(part.toUpperCase());
      break; // variants and extensions after the region are dropped
    } else break;
  }
  return out.join('-');
}

/** Languages the detector confuses and pages declare either way: never a reason to replace the declaration. */
const CLOSE: string[][] = [['hr', 'sr', 'bs'], ['no', 'nb', 'nn', 'da'], ['ms', 'id'], ['ku', 'ckb']];
const close = (a: string, b: string): boolean => CLOSE.some((g) => g.includes(a) && g.includes(b));
/** Detector codes as BCP 47 tags for the script: ELD's Arabic-script Kurdish is Sorani. */
const DETECTED_AS: Partial<Record<Script, Record<string, string>>> = { Arab: { ku: 'ckb' } };

/** Letters (in the script sample) below which a detection is not taken at all... */
const MIN_DETECT_LETTERS = 30;
/** ...and below which a declared language that fits the script is kept whatever the detector says. */
const MIN_OVERRIDE_LETTERS = 200;
/** How far (0..1 scores) the detected language must lead the declared one to replace it. */
const MIN_OVERRIDE_LEAD = 0.08;

/**
 * The page's language. The script decides first: a declaration that can't
 * be written in the text's script is wrong ("en-US" on Arabic text). Within
 * the script, the detector decides when nothing is declared; a declaration
 * is kept (regional subtag and all: en-US stays en-US) unless there is
 * enough text and the detector clearly names another language. Short or
 * mixed text: the declaration stands.
 */
export function normalizeLang(htmlLang: string | null, metaLang: string | null, text: string): string | null {
  const declared = canonicalLangTag(htmlLang) ?? canonicalLangTag(metaLang);
  const counts = tally(text);
  const script = dominantScript(counts);
  if (!script) return declared;
  const base = declared?.split('-')[0];
  const scriptSubtag = declared?.split('-').find((p) => /^[A-Z][a-z]{3}$/.test(p));
  const langs = script === 'Latn' ? null : SCRIPT_LANGS[script];
  const fits = (l: string): boolean => (langs ? langs.includes(l) : !NON_LATIN.has(l));
  const declaredFits = !!base && (fits(base) || scriptSubtag === script);
  const fallback = declaredFits ? declared : (langs?.[0] ?? null);
  // Letters in the first SAMPLE_CHARS: the detector reads fewer, but a text
  // with this many letters fills its window.
  const letters = counts.letters;
  // Nothing a detector could change: one language for the script (Thai,
  // Korean…), too little text, or a declaration it can't judge or overrule.
  if (langs?.length === 1 || letters < MIN_DETECT_LETTERS) return fallback;
  if (declaredFits && (!isDetectable(base!) || letters < MIN_OVERRIDE_LETTERS)) return declared;

  const det = detectLanguage(text);
  const lang = det ? (DETECTED_AS[script]?.[det.lang] ?? det.lang) : null;
  if (!det || !lang || !det.reliable || !fits(lang)) return fallback;
  if (!declaredFits) return lang;
  const clearlyOther = lang !== base && !close(lang, base!) && det.leadOver(base!) >= MIN_OVERRIDE_LEAD;
  return clearlyOther ? lang : declared;
}

/** 'rtl' when most letters are Arabic/Hebrew-script (or RTL language and no letters). */
export function directionFor(lang: string | null, text: string): 'rtl' | 'ltr' {
  const t = tally(text);
  if (t.letters === 0) return lang && RTL_LANGS.has(lang.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
  const rtl = t.arab + t.hebr + t.rtlOther;
  return rtl * 2 >= t.letters ? 'rtl' : 'ltr';
}
