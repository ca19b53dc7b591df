/**
 * Basic metadata normalization: title choice, dates, language, direction,
 * authors. Each function is pure and takes raw values as the clean stage
 * found them. Dates, language and bylines live in their own modules.
 */
import type { RawMetadata } from '../../shared/types.js';
import { foldForMatching } from './arabic-fold.js';

export { toIsoDate } from './scan-dates.js';
export { normalizeLang, directionFor, languageSample } from './lang.js';
export { cleanAuthors } from './bylines.js';

const oneLine = (s: string | null | undefined): string | null => s?.replace(/\s+/g, ' ').trim() || null;
const words = (folded: string): number => (folded ? folded.split(' ').length : 0);

/** Same name, or one contains the other as whole words ("BBC" / "BBC News"); both folded. */
function sameName(fa: string, fb: string): boolean {
  if (!fa || !fb) return false;
  if (fa === fb) return true;
  const [short, long] = fa.length < fb.length ? [fa, fb] : [fb, fa];
  return short.length >= 3 && ` ${long} `.includes(` ${short} `);
}

// Title separators: "|", "·", "»", "«" anywhere; "-", "–", "—", ":", "/" only between spaces.
// The Hangul letter "ㅣ" (U+3163), never a word on its own, stands in for "|" in Korean titles.
const TITLE_SEPARATOR = /(\s+[-–—:/]\s+|\s*[|·»«\u3163]\s*)/;

/** "example.com", "news-site.co.uk": the name before the TLD. */
const DOMAIN_NAME = /^(?:www\.)?([\p{L}\d-]{2,})\.[a-z]{2,6}(?:\.[a-z]{2})?$/iu;
/** A title segment that is only a date, "28.04.2023", "2023-04-28": the page's, not the headline's. */
const DATE_SEGMENT = /^\d{1,4}([./-])\d{1,2}\1\d{1,4}$/;

/**
 * Names a title segment may be. Declared site names match loosely ("BBC" /
 * "BBC News"); `exact` names (authors, the logo link's text) only whole.
 */
export interface TitleNames {
  siteNames?: readonly (string | null)[];
  exact?: readonly (string | null)[];
  /** A byline prefix on folded text ("by", «بقلم»; src/stages/normalize/metadata-lines.ts): "by Jane Roe" is an `exact` name too. */
  byline?: RegExp;
}

/**
 * "Headline | Site", "Site - Headline" → "Headline": a first or last segment
 * that names the site (or an author, or is the logo link's text) is
 * dropped, repeatedly ("Headline - Author - Site" → "Headline"), as long as
 * a headline remains.
 */
export function stripSiteName(title: string, siteName: string | null, more: TitleNames = {}): string {
  return stripNames(title, knownNames(siteName, more));
}

/** What stripSiteName compares a segment with, folded once for all of a page's titles. */
interface KnownNames {
  /** Folded site names. */
  sites: string[];
  exact: Set<string>;
  /** Folded domain names without the TLD, spaces removed. */
  labels: Set<string>;
  byline: RegExp | undefined;
}

function knownNames(siteName: string | null, more: TitleNames): KnownNames {
  const sites = [siteName, ...(more.siteNames ?? [])].filter((n): n is string => !!n);
  const exact = new Set((more.exact ?? []).filter((n): n is string => !!n).map(foldForMatching));
  // A site named by its domain ("DailyPost.com") is also named without the TLD, spaced or not ("Daily Post").
  const labels = new Set<string>();
  for (const n of sites) {
    const m = DOMAIN_NAME.exec(n.trim());
    if (m) labels.add(foldForMatching(m[1]!).replace(/ /g, ''));
  }
  return { sites: sites.map(foldForMatching), exact, labels, byline: more.byline };
}

function stripNames(title: string, known: KnownNames): string {
  const { sites, exact, labels, byline } = known;
  const isByline = (f: string): boolean => {
    const m = byline?.exec(f);
    return !!m && exact.has(f.slice(m[0].length).trim());
  };
  const isName = (seg: string): boolean => {
    const f = foldForMatching(seg);
    return exact.has(f) || isByline(f) || labels.has(f.replace(/ /g, '')) || sites.some((n) => sameName(f, n)) || DATE_SEGMENT.test(seg.trim());
  };
  let parts = title.split(TITLE_SEPARATOR); // [seg, sep, seg, sep, seg…]
  while (parts.length >= 3) {
    if (isName(parts[parts.length - 1]!)) parts = parts.slice(0, -2);
    else if (isName(parts[0]!)) parts = parts.slice(2);
    else break;
  }
  return parts.join('').trim() || title;
}

/**
 * Pick the article title. A title the page declares in metadata (JSON-LD
 * headline, dc:title, og:title, twitter:title… in Readability's order) wins,
 * less confirmed site names and authors. Otherwise a short h1 / og:title /
 * JSON-LD headline that the <title> contains (the <title> adds site or
 * section names) is preferred; then og, JSON-LD, <title>, meta title, h1.
 * `more` are names known not to be headline: other declared site names,
 * authors, the logo link's text.
 */
export function cleanTitle(titles: RawMetadata['titles'], siteName: string | null, more: TitleNames = {}): string | null {
  const site = oneLine(siteName);
  const known = knownNames(site, more);
  // Every name folded: the site names and the exact names.
  const names = new Set([...known.sites, ...known.exact].filter(Boolean));
  const clean = (t: string | null | undefined): string | null => {
    const s = oneLine(t);
    const key = s ? foldForMatching(s) : '';
    if (!s || names.has(key)) return null;
    const stripped = stripNames(s, known);
    return names.has(stripped === s ? key : foldForMatching(stripped)) ? null : stripped;
  };
  const declared = clean(titles.declared);
  const og = clean(titles.og);
  const h1 = clean(titles.h1);
  const ld = clean(titles.jsonLd);
  if (declared && h1 && shownHeadlineWins(declared, h1, og, ld, !!oneLine(titles.crumbH1))) return h1;
  const html = clean(titles.htmlTitle);
  if (declared) {
    const meta = clean(titles.meta);
    // Only a title that lost a confirmed name is known to carry a trail of site and section names.
    const trail = declared !== oneLine(titles.declared) ? headOfSection(declared, [h1, ld, og, meta]) : null;
    return trail ?? commonSpelling(declared, [og, ld, meta, html]);
  }
  // A <title> that lost a confirmed name needs no guessing at an unconfirmed suffix.
  const htmlConfirmed = html !== oneLine(titles.htmlTitle);
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
  return og ?? ld ?? (html && (htmlConfirmed ? html : stripUnconfirmedSuffix(html))) ?? clean(titles.meta) ?? h1;
}

/**
 * The headline the article shows (`h1`, less its kicker) against the declared
 * title, when og:title or the JSON-LD headline repeats it: it wins when the
 * declared title is it plus a kicker or section segment ("Kicker: Headline",
 * "Headline | Section"), when the page's h1 was a breadcrumb's copy of the
 * declared title (the shown heading is elsewhere), or when the declared title
 * agrees with no other source.
 */
function shownHeadlineWins(declared: string, h1: string, og: string | null, ld: string | null, crumbH1: boolean): boolean {
  const fh = foldForMatching(h1);
  const agrees = (c: string | null): boolean => !!c && foldForMatching(c) === fh;
  if (agrees(declared) || !(agrees(og) || agrees(ld))) return false;
  if (crumbH1 || isSegmentOf(declared, h1)) return true;
  const fd = foldForMatching(declared);
  return (!og || foldForMatching(og) !== fd) && (!ld || foldForMatching(ld) !== fd);
}

/** `title` is `part` plus a segment before or after a separator: "Kicker: Part", "Part | Section". */
function isSegmentOf(title: string, part: string): boolean {
  if (title.length <= part.length) return false;
  // A dash separates only between spaces: "Harbour-Night ferry" is one word.
  if (title.endsWith(part)) return /(?:[:|·»«]|\s[–—-])\s*$/u.test(title.slice(0, -part.length));
  if (title.startsWith(part)) return /^\s*(?:[|·»«]|[–—-]\s)/u.test(title.slice(part.length));
  return false;
}

/** A separator then at most two words, glued or spaced: "-Politics", " | Local news". */
const SECTION_TAIL = /^\s*[-–—|·»\u3163]\s*[^\s|·»\u3163]+(?:\s[^\s|·»\u3163]+)?$/u;

/**
 * The declared title is another source's title plus a section segment, the
 * separator maybe glued to the words ("Headline-Politics", a segment
 * stripSiteName cannot see): that source's title. The headline keeps
 * MIN_HEADLINE_WORDS words at least.
 */
function headOfSection(declared: string, others: (string | null)[]): string | null {
  for (const c of others) {
    if (!c || c.length >= declared.length || !declared.startsWith(c)) continue;
    if (c.split(/\s+/).length >= MIN_HEADLINE_WORDS && SECTION_TAIL.test(declared.slice(c.length))) return c;
  }
  return null;
}

/** The words, with each run of punctuation as one mark: "A: B" and "A - B", "it's" and "it’s" match; "A" and "“A”" do not. */
const spellingKey = (s: string): string =>
  s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]*[\p{P}\p{S}][\s\p{P}\p{S}]*/gu, '\u00b7').replace(/\s+/g, ' ').trim();

/**
 * The spelling of the declared title most head sources use, when they spell
 * the same words differently (quotes, dashes, ":" for " - "): og:title, the
 * JSON-LD headline, the meta title and the <title> (whole, or less a trailing
 * segment) each vote once. The declared spelling wins ties.
 */
function commonSpelling(declared: string, sources: (string | null)[]): string {
  const key = spellingKey(declared);
  const votes = new Map<string, number>([[declared, 0]]);
  for (const s of sources) {
    if (!s) continue;
    if (spellingKey(s) === key) votes.set(s, (votes.get(s) ?? 0) + 1);
    else for (const v of votes.keys()) if (isSegmentOf(s, v)) votes.set(v, votes.get(v)! + 1);
  }
  let best = declared;
  for (const [v, n] of votes) if (n > votes.get(best)!) best = v;
  return best;
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
