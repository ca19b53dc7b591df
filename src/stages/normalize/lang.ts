/**
 * Language tag (BCP 47 case) and text direction. The declared tag is often a
 * CMS default ("en-US" on an Arabic site), so it is cross-checked against the
 * script the text is actually written in.
 */

type Script = 'Arab' | 'Hebr' | 'Cyrl' | 'Grek' | 'Hani' | 'Jpan' | 'Kore' | 'Thai' | 'Latn';

const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;
// Letters only (`(?=\p{L})`): Arabic digits and punctuation carry no script vote.
const letterOf = (script: string): RegExp => new RegExp(`(?=\\p{L})\\p{Script=${script}}`, 'gu');
const RE = {
  letter: /\p{L}/gu,
  arab: letterOf('Arabic'),
  hebr: letterOf('Hebrew'),
  rtlOther: /(?=\p{L})[\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/gu,
  cyrl: letterOf('Cyrillic'),
  grek: letterOf('Greek'),
  han: letterOf('Han'),
  kana: /(?=\p{L})[\p{Script=Hiragana}\p{Script=Katakana}]/gu,
  hang: letterOf('Hangul'),
  thai: letterOf('Thai'),
  latn: letterOf('Latin'),
};
/** Enough text to judge a script; keeps long articles cheap. */
const SAMPLE_CHARS = 3_000;
const MIN_LETTERS = 10;

/** The script of at least half the letters, or null (mixed / too little text / other scripts). */
function dominantScript(text: string): Script | null {
  const s = text.slice(0, SAMPLE_CHARS);
  const letters = count(s, RE.letter);
  if (letters < MIN_LETTERS) return null;
  const major = (n: number): boolean => n * 2 >= letters;
  const han = count(s, RE.han);
  const kana = count(s, RE.kana);
  const hang = count(s, RE.hang);
  if (major(han + kana + hang)) {
    if (hang >= han + kana) return 'Kore';
    return kana * 10 >= han + kana ? 'Jpan' : 'Hani';
  }
  const simple: [Script, RegExp][] = [
    ['Arab', RE.arab], ['Hebr', RE.hebr], ['Cyrl', RE.cyrl], ['Grek', RE.grek], ['Thai', RE.thai], ['Latn', RE.latn],
  ];
  for (const [script, re] of simple) if (major(count(s, re))) return script;
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

/** "en-us" → "en-US", "ar_EG" → "ar-EG", "zh-hant-tw" → "zh-Hant-TW"; first tag of a list; null if invalid. */
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
      out.push(part.toUpperCase());
      break; // variants and extensions after the region are dropped
    } else break;
  }
  return out.join('-');
}

export function normalizeLang(htmlLang: string | null, metaLang: string | null, text: string): string | null {
  const declared = canonicalLangTag(htmlLang) ?? canonicalLangTag(metaLang);
  const script = dominantScript(text);
  if (!script) return declared;
  const base = declared?.split('-')[0];
  const scriptSubtag = declared?.split('-').find((p) => /^[A-Z][a-z]{3}$/.test(p));
  if (script === 'Latn') return base && NON_LATIN.has(base) && scriptSubtag !== 'Latn' ? null : declared;
  const langs = SCRIPT_LANGS[script];
  if (base && (langs.includes(base) || scriptSubtag === script)) return declared;
  return langs[0]!;
}

/** 'rtl' when most letters are Arabic/Hebrew-script (or RTL language and no letters). */
export function directionFor(lang: string | null, text: string): 'rtl' | 'ltr' {
  const s = text.slice(0, SAMPLE_CHARS);
  const letters = count(s, RE.letter);
  if (letters === 0) return lang && RTL_LANGS.has(lang.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
  const rtl = count(s, RE.arab) + count(s, RE.hebr) + count(s, RE.rtlOther);
  return rtl * 2 >= letters ? 'rtl' : 'ltr';
}
