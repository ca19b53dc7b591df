/**
 * Choose published_at / modified_at from the candidates the clean stage found,
 * the dates in the page's URL paths (/2017/10/14/, /2017-10-14/, /20171014/)
 * and the body's leading dateline blocks.
 *
 * Sources are tried by rank: JSON-LD, <meta>, itemprop, <time> in the
 * article, URL path, dateline text, other <time> elements. The first value
 * that holds a Gregorian date no later than the extraction time (plus a day of
 * zone slack) wins; a date-only winner takes the time of day from a later
 * candidate for the same day. Dateline text is label-aware: "Updated: …" is
 * a modification date, never a publication date.
 */
import type { DateCandidate, DateSource, RawMetadata, TextBlock } from '../../shared/types.js';
import { type DateRole, type DateRules, defaultDateRules } from './date-rules.js';
import { type FoundDate, type ScanOptions, preferGregorian, scanDates, toIsoDate } from './scan-dates.js';
import { type MetadataLineRules, isMetadataLine } from './metadata-lines.js';

export interface DateContext {
  /** Page URL, canonical URL, og:url: their paths may hold the date. */
  urls: (string | null | undefined)[];
  /** The page's BCP-47 language: decides how 07/10/2020 is read. */
  lang: string | null;
  /** Dateline blocks at the top of the body (see leadingDatelines). */
  datelines: string[];
  /** Extraction time: no date may be later. */
  now: Date;
  rules?: DateRules;
}

/** 'given': RawMetadata.publishedAt / modifiedAt, a value whose role the producer decided. */
type Source = DateSource | 'url' | 'given';
interface Candidate {
  value: string;
  source: Source;
}

const RANK: Record<Source, number> = { 'json-ld': 0, meta: 1, itemprop: 2, time: 3, url: 4, text: 5, 'loose-time': 6, given: 7 };
const FUTURE_SLACK_MS = 24 * 3600 * 1000;
/** How many leading body blocks may be a dateline. */
const LEADING_BLOCKS = 5;

const URL_DATES = [
  /\/((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})(?=\/|$)/, // /2017/10/14/
  /\/((?:19|20)\d{2})-(\d{2})-(\d{2})(?=[/_.-]|$)/, // /2017-10-14/, /2017-10-14-slug
  /\/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)/, // /20171014/, /20171014.html
];

/** The date in a URL's path, "YYYY-MM-DD"; null when there is none. */
export function dateFromUrl(url: string | null | undefined, rules: DateRules = defaultDateRules()): string | null {
  const path = url?.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  if (!path) return null;
  for (const re of URL_DATES) {
    const m = re.exec(path);
    if (m) return toIsoDate(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`, { rules });
  }
  return null;
}

/** Dateline blocks among the first few body blocks (normalize drops them from the text). */
export function leadingDatelines(blocks: TextBlock[], metaLines?: MetadataLineRules): string[] {
  if (!metaLines) return [];
  return blocks
    .slice(0, LEADING_BLOCKS)
    .map((b) => b.text)
    .filter((t) => isMetadataLine(t, metaLines));
}

/** Day-first (most of the world), month-first (en-US) or unreadable (bare "en") numeric dates. */
export function dayFirstFor(lang: string | null, rules: DateRules = defaultDateRules()): boolean | null {
  if (!lang) return null;
  const tag = lang.toLowerCase();
  if (rules.monthFirst.has(tag)) return false;
  return rules.ambiguousOrder.has(tag) ? null : true;
}

/** Epoch ms of an ISO value; a value without zone is taken as UTC (the slack covers the difference). */
function instant(iso: string): number {
  if (iso.length === 10) return Date.parse(`${iso}T00:00:00Z`);
  return Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

/** Rules plus scanDates with a per-page memo: the same values come up for both roles and in several sources. */
type ParseOptions = { rules: DateRules; scan: (value: string) => FoundDate[] };

/** Whether a date found in a candidate may be taken for `role`: dateline text must be labelled for modification. */
function accepts(d: FoundDate, role: DateRole, source: Source): boolean {
  if (d.label === null) return role === 'published' || source !== 'text';
  return d.label === role;
}

/** The date a candidate gives for `role`. A date labelled for another role ("Updated: …" for published) is not taken. */
function parse(c: Candidate, role: DateRole, opts: ParseOptions): string | null {
  if (c.source === 'url') return c.value;
  const found = c.source === 'text' ? opts.scan(c.value) : [];
  if (c.source !== 'text') {
    const iso = toIsoDate(c.value, opts);
    if (!iso) return null;
    // An attribute value is read as is; visible text ("Updated 4 Aug") keeps its label.
    const labelled = opts.scan(c.value).find((d) => d.iso === iso);
    return !labelled || accepts(labelled, role, c.source) ? iso : null;
  }
  return preferGregorian(found.filter((d) => accepts(d, role, c.source)))?.iso ?? null;
}

interface Picked {
  iso: string;
  source: Source;
}

const HAS_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms bounds of a calendar day in any zone (UTC-12 .. UTC+14). */
const dayBounds = (day: string): [number, number] => {
  const start = Date.parse(`${day}T00:00:00Z`);
  return [start - 12 * 3600_000, start + 24 * 3600_000 + 14 * 3600_000];
};

/** The value is on `day`, or is an instant with a zone that falls on `day` somewhere. */
function onDay(iso: string, day: string): boolean {
  if (iso.startsWith(day)) return true;
  if (!HAS_ZONE.test(iso)) return false;
  const [lo, hi] = dayBounds(day);
  const t = instant(iso);
  return t >= lo && t < hi;
}

/**
 * The best-ranked valid value. The URL's date is evidence: when the winner
 * is on another day and a lower-ranked value is on the URL's day, that value
 * wins (an update line taken for the publication date). A winner without
 * time of day or zone takes them from a later value for the same day and time.
 */
function pick(candidates: Candidate[], role: DateRole, opts: ParseOptions, now: Date, urlDay: string | null): Picked | null {
  const limit = now.getTime() + FUTURE_SLACK_MS;
  const ranked = [...candidates].sort((a, b) => RANK[a.source] - RANK[b.source]);
  const valid: Picked[] = [];
  for (const c of ranked) {
    const iso = parse(c, role, opts);
    if (!iso || instant(iso) > limit) continue;
    valid.push({ iso, source: c.source });
    // Enough read: the winner has its zone and no URL date speaks against it.
    if (HAS_ZONE.test(valid[0]!.iso) && (!urlDay || onDay(valid[0]!.iso, urlDay))) break;
  }
  let best = valid[0];
  if (!best) return null;
  if (urlDay && !onDay(best.iso, urlDay)) best = valid.find((p) => p.source !== 'url' && p.iso.startsWith(urlDay)) ?? best;
  const fuller = valid.find((p) => p.iso.length > best!.iso.length && p.iso.startsWith(best!.iso));
  // The URL gives only a day: a value that adds the time is the source.
  return fuller ? { iso: fuller.iso, source: best.source === 'url' ? fuller.source : best.source } : best;
}

/** One form for every record: "YYYY-MM-DDTHH:mm:ss" with the page's offset, or "Z" when it gives none. */
export function fullIso(iso: string | null): string | null {
  if (iso === null) return null;
  if (iso.length === 10) return `${iso}T00:00:00Z`;
  return HAS_ZONE.test(iso) ? iso : `${iso}Z`;
}


export interface ResolvedDates {
  published: string | null;
  modified: string | null;
  /** The source of `published` (null when there is none). */
  source: Source | null;
}

export function resolveDates(meta: Pick<RawMetadata, 'dates' | 'publishedAt' | 'modifiedAt'>, ctx: DateContext): ResolvedDates {
  const rules = ctx.rules ?? defaultDateRules();
  const scanOptions: ScanOptions = { dayFirst: dayFirstFor(ctx.lang, rules), rules };
  const memo = new Map<string, FoundDate[]>();
  const opts: ParseOptions = {
    rules,
    scan: (value) => {
      let found = memo.get(value);
      if (!found) memo.set(value, (found = scanDates(value, scanOptions)));
      return found;
    },
  };
  const given = (v: string | null | undefined): Candidate[] => (v ? [{ value: v, source: 'given' }] : []);
  const lines = ctx.datelines.map((value): Candidate => ({ value, source: 'text' }));
  const urls = ctx.urls.map((u) => dateFromUrl(u, rules)).filter((d): d is string => d !== null);
  const fromUrl = urls.slice(0, 1).map((value): Candidate => ({ value, source: 'url' }));
  const found = (list: DateCandidate[] | undefined): Candidate[] => list ?? [];
  const published = pick([...found(meta.dates?.published), ...fromUrl, ...lines, ...given(meta.publishedAt)], 'published', opts, ctx.now, urls[0] ?? null);
  const modified = pick([...found(meta.dates?.modified), ...lines, ...given(meta.modifiedAt)], 'modified', opts, ctx.now, null);
  return { published: fullIso(published?.iso ?? null), modified: fullIso(modified?.iso ?? null), source: published?.source ?? null };
}
