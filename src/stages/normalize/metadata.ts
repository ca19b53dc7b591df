/**
 * Basic metadata normalization: title choice, dates, language, direction,
 * authors. Each function is pure and takes raw values as the clean stage
 * found them. Dates and language live in their own modules.
 */
import type { RawMetadata } from '../../types.js';
import { foldForMatching } from './arabic-fold.js';

export { toIsoDate } from './dates.js';
export { normalizeLang, directionFor } from './lang.js';

const oneLine = (s: string | null | undefined): string | null => s?.replace(/\s+/g, ' ').trim() || null;
const words = (folded: string): number => (folded ? folded.split(' ').length : 0);

/** Same name, or one contains the other as whole words ("BBC" / "BBC News"). */
function sameName(a: string, b: string): boolean {
  const fa = foldForMatching(a);
  const fb = foldForMatching(b);
  if (!fa || !fb) return false;
  if (fa === fb) return true;
  const [short, long] = fa.length < fb.length ? [fa, fb] : [fb, fa];
  return short.length >= 3 && ` ${long} `.includes(` ${short} `);
}

// Title separators: "|", "·", "»", "«" anywhere; "-", "–", "—", ":", "/" only between spaces.
const TITLE_SEPARATOR = /(\s+[-–—:/]\s+|\s*[|·»«]\s*)/;

/** "Headline | Site", "Site - Headline" → "Headline", when Site is the site name. */
export function stripSiteName(title: string, siteName: string | null): string {
  if (!siteName) return title;
  const parts = title.split(TITLE_SEPARATOR); // [seg, sep, seg, sep, seg…]
  if (parts.length < 3) return title;
  if (sameName(parts[parts.length - 1]!, siteName)) return parts.slice(0, -2).join('').trim() || title;
  if (sameName(parts[0]!, siteName)) return parts.slice(2).join('').trim() || title;
  return title;
}

/**
 * Pick the article title. A short h1 / og:title / JSON-LD headline that the
 * <title> contains (the <title> adds site or section names) is preferred;
 * otherwise og, JSON-LD, <title>, meta title, h1, with site names stripped.
 */
export function cleanTitle(titles: RawMetadata['titles'], siteName: string | null): string | null {
  const site = oneLine(siteName);
  const clean = (t: string | null): string | null => {
    const s = oneLine(t);
    if (!s || (site && foldForMatching(s) === foldForMatching(site))) return null;
    return stripSiteName(s, site);
  };
  const html = clean(titles.htmlTitle);
  const og = clean(titles.og);
  const h1 = clean(titles.h1);
  const ld = clean(titles.jsonLd);
  if (html) {
    const fh = foldForMatching(html);
    for (const c of [h1, og, ld]) {
      const fc = c ? foldForMatching(c) : '';
      if (!fc) continue;
      // <title> = candidate + extra words (site / section names).
      if (fh.includes(fc) && (fc.length * 2 >= fh.length || words(fc) >= 4)) return c;
      // <title> is a truncated form of the candidate.
      if (fc.includes(fh) && fh.length * 2 >= fc.length) return c;
    }
  }
  return og ?? ld ?? (html && stripUnconfirmedSuffix(html)) ?? clean(titles.meta) ?? h1;
}

/** Words a headline keeps before a trailing segment can be taken for a site or section name. */
const MIN_HEADLINE_WORDS = 3;
const MAX_SUFFIX_WORDS = 4;

/**
 * "Headline – My website" with nothing naming the site: drop a short last
 * segment after a strong separator (| – — ·), as Readability does, when
 * enough of a headline remains. "-" and ":" are left alone: they often sit inside headlines.
 */
export function stripUnconfirmedSuffix(title: string): string {
  const m = /^(.*\S)\s*(?:\s[|–—·]\s|\s*\|\s*)(\S.*)$/u.exec(title);
  if (!m) return title;
  const [, head, tail] = m as unknown as [string, string, string];
  const headWords = head.split(/\s+/).length;
  const tailWords = tail.split(/\s+/).length;
  return headWords >= MIN_HEADLINE_WORDS && tailWords <= MAX_SUFFIX_WORDS && tailWords < headWords ? head : title;
}

const AUTHOR_PREFIX =
  /^(?:(?:written|posted|reported|story)\s+by|by|von(?!\s+(?:der|dem|den)\s)|par|por|كتب|كتبت|بقلم|بواسطة|إعداد|اعداد)(?:\s*[:：\-–—]\s*|\s+)/iu;
const NAME_SEPARATOR = /\s+(?:and|und|et|y)\s+|\s*[,،&]\s*|\s+و\s+/iu;
const LOOKS_LIKE_URL = /^(?:https?:\/\/|www\.)|\/|\.(?:com|net|org|info)\b/i;
const MAX_AUTHORS = 10;

const stripPrefix = (s: string): string => s.replace(AUTHOR_PREFIX, '').trim();

/** Split "A B and C D" / "A B، C D" only when every part looks like a full name. */
function splitNames(s: string): string[] {
  const parts = s.split(NAME_SEPARATOR).map(stripPrefix);
  const nameLike = (p: string): boolean => {
    const n = p.split(/\s+/).length;
    return p.length > 0 && n >= 2 && n <= 5;
  };
  return parts.length > 1 && parts.every(nameLike) ? parts : [s];
}

export function cleanAuthors(authors: string[], siteName: string | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of authors) {
    const one = oneLine(raw);
    if (!one) continue;
    for (const name of splitNames(stripPrefix(one))) {
      const key = foldForMatching(name);
      if (!key || seen.has(key) || LOOKS_LIKE_URL.test(name) || name.length > 100) continue;
      if (siteName && key === foldForMatching(siteName)) continue;
      seen.add(key);
      out.push(name);
      if (out.length === MAX_AUTHORS) return out;
    }
  }
  return out;
}
