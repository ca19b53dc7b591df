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
import { type FoundDate, type ScanOptions, scanDates, toIsoDate } from './scan-dates.js';
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

/** The date a candidate gives for `role`. A date in dateline text must not be labelled for another role. */
function parse(c: Candidate, role: DateRole, opts: ParseOptions): string | null {
  if (c.source !== 'text') return toIsoDate(c.value, opts);
  const dates = opts.scan(c.value);
  const hit = role === 'modified' ? dates.find((d) => d.label === 'modified') : dates.find((d) => d.label === null || d.label === 'published');
  return hit?.iso ?? null;
}

function pick(candidates: Candidate[], role: DateRole, opts: ParseOptions, now: Date): string | null {
  const limit = now.getTime() + FUTURE_SLACK_MS;
  const ranked = [...candidates].sort((a, b) => RANK[a.source] - RANK[b.source]);
  let best: string | null = null;
  for (const c of ranked) {
    const iso = parse(c, role, opts);
    if (!iso || instant(iso) > limit) continue;
    if (best === null) best = iso;
    // A date-only winner takes the time of day from a later candidate for the same day.
    else if (iso.length > 10 && iso.startsWith(best)) return iso;
    if (best.length > 10) return best;
  }
  return best;
}

export function resolveDates(meta: Pick<RawMetadata, 'dates' | 'publishedAt' | 'modifiedAt'>, ctx: DateContext): { published: string | null; modified: string | null } {
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
  return {
    published: pick([...found(meta.dates?.published), ...fromUrl, ...lines, ...given(meta.publishedAt)], 'published', opts, ctx.now),
    modified: pick([...found(meta.dates?.modified), ...lines, ...given(meta.modifiedAt)], 'modified', opts, ctx.now),
  };
}
