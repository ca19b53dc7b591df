/**
 * The date word lists (config/rules/dates.json), validated once and compiled
 * into lookup maps and the regexes the date scanner (scan-dates.ts) runs on folded
 * text. The clean stage reads the meta keys and element hints from here too.
 */
import { readRuleFile, ruleFilePath } from '../../config/rule-files.js';
import { z } from 'zod';
import { asciiDigits, foldForMatching } from './arabic-fold.js';
import type { Calendar } from './calendars.js';

const Words = z.array(z.string().min(1));

const FileSchema = z
  .object({
    $comment: z.string().optional(),
    months: z.record(z.string(), z.array(Words).length(12)),
    hijriMonths: z.array(Words).length(12),
    persianMonths: z.array(Words).length(12),
    hijriMarkers: Words,
    gregorianMarkers: Words,
    ampm: z.object({ am: Words, pm: Words }),
    /** Zone word → offset; '' for a zone word with no fixed offset ("ET"). */
    zones: z.record(z.string(), z.string().regex(/^(?:Z|[+-]\d{2}:\d{2})?$/)),
    weekdays: Words,
    dateConnectors: Words,
    timeConnectors: Words,
    labels: z.object({ published: Words, modified: Words, other: Words.default([]) }),
    numericOrder: z.object({ monthFirst: z.array(z.string()), ambiguous: z.array(z.string()) }),
    metaKeys: z.object({ published: Words, modified: Words }),
    elementHints: z.object({ date: Words, modified: Words, avoid: Words, avoidTags: Words }),
    placeholderDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
    minYear: z.number().int(),
  })
  .strict();

export type DateRole = 'published' | 'modified';
/** What a label before a date says: a role, or 'other' (a deadline, a print date). */
export type DateLabel = DateRole | 'other';

export interface DateRules {
  /** Maps are keyed by wordKey(). Gregorian month name → 1..12. */
  monthOf: Map<string, number>;
  /** Hijri and Solar Hijri month names → their calendar and month 1..12. */
  calendarMonthOf: Map<string, [Calendar, number]>;
  ampmOf: Map<string, 'am' | 'pm'>;
  /** Folded zone word → 'Z' / '+03:00', or '' when the word names no fixed offset. */
  zoneOf: Map<string, string>;
  labelOf: Map<string, DateLabel>;
  /** Finds dates (day-month-year, month-day-year, numeric, CJK); global. See scan-dates.ts for the groups. */
  date: RegExp;
  /** At a date's end (sticky): the gap words, then a time. */
  timeAfter: RegExp;
  /** A time anywhere (global), and what may sit between it and a date that follows. */
  time: RegExp;
  gapBefore: RegExp;
  /** At a date's end (sticky): «هـ», "AH". */
  hijriAfter: RegExp;
  label: RegExp;
  monthFirst: Set<string>;
  ambiguousOrder: Set<string>;
  metaKeys: { published: string[]; modified: string[] };
  hints: { date: Set<string>; modified: Set<string>; avoid: Set<string>; avoidTags: Set<string> };
  placeholders: Set<string>;
  minYear: number;
}

const LATIN_ACCENT = /[\u0300-\u036f]/g;
const WORD_RUN = /[\p{L}\p{M}]+/gu;

/** One word in matching form: Latin accents dropped, then Arabic-folded and lower-cased. */
const foldWord = (w: string): string => foldForMatching(w.normalize('NFD').replace(LATIN_ACCENT, ''));

/**
 * Text in matching form for the date scanner: each run of letters folded
 * (foldWord), digits in ASCII, whitespace collapsed. Unlike foldForMatching
 * it keeps punctuation: ':', '/', '+' and '.' carry the meaning of times,
 * numeric dates and offsets.
 */
export function foldDateText(s: string): string {
  // A zero-width non-joiner parts a Persian word's pieces («به‌روزرسانی»): a space, as labels are listed.
  return asciiDigits(s.normalize('NFKC')).replace(/\u200C/g, ' ').replace(WORD_RUN, foldWord).replace(/\s+/g, ' ').trim();
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Folded words as a regex alternation, longest first, inner spaces as \s*. */
function alternation(words: Iterable<string>): string {
  const folded = [...new Set([...words].map(foldDateText).filter(Boolean))].sort((a, b) => b.length - a.length);
  return folded.map((w) => escape(w).replace(/ /g, '\\s*')).join('|');
}

/** Lookup key of a word or a matched phrase: folded, without spaces and dots ("a. m." → "am", "Oct." → "oct"). */
export const wordKey = (s: string): string => foldDateText(s).replace(/[\s.]+/g, '');

function mapOf<V>(entries: Iterable<[string, V]>): Map<string, V> {
  const map = new Map<string, V>();
  for (const [k, v] of entries) {
    const key = wordKey(k);
    if (key && !map.has(key)) map.set(key, v);
  }
  return map;
}

// Letters (and marks) for word boundaries: \b is ASCII-only.
const L = '\\p{L}\\p{M}';
const START = `(?<![${L}])`;
const END = `(?![${L}])`;

function compile(raw: z.infer<typeof FileSchema>): DateRules {
  const monthEntries: [string, number][] = Object.values(raw.months).flatMap((family) => family.flatMap((names, i) => names.map((n): [string, number] => [n, i + 1])));
  const monthOf = mapOf(monthEntries);
  const twelve = (cal: Calendar, lists: string[][]): [string, [Calendar, number]][] => lists.flatMap((names, i) => names.map((n): [string, [Calendar, number]] => [n, [cal, i + 1]]));
  const calendarEntries = [...twelve('islamic', raw.hijriMonths), ...twelve('persian', raw.persianMonths)];
  const calendarMonthOf = mapOf(calendarEntries);
  const ampmOf = mapOf<'am' | 'pm'>([...raw.ampm.am.map((w): [string, 'am'] => [w, 'am']), ...raw.ampm.pm.map((w): [string, 'pm'] => [w, 'pm'])]);
  const zoneOf = mapOf(Object.entries(raw.zones));
  const labelOf = mapOf(Object.entries(raw.labels).flatMap(([label, words]) => words.map((w): [string, DateLabel] => [w, label as DateLabel])));

  const month = `${START}(?:${alternation([...monthEntries, ...calendarEntries].map(([n]) => n))})${END}\\.?`;
  // «17 مارس/ آذار 2020», «28 آب/اغسطس 2013», "17 March (Adar) 2020": a second name for the same month.
  const paired = (g: string) => `(?:\\s*[/(-]\\s*(?<${g}>${month})\\s*\\)?)?`;
  const conn = `(?:${START}(?:${alternation(raw.dateConnectors)})${END}\\s*)?`;
  const dmy = `(?<![\\d.:])(?<d1>\\d{1,2})(?:st|nd|rd|th|er|º|°|\\.)?\\s*[,،]?\\s*${conn}(?<m1>${month})${paired('p1')}\\s*[,،]?\\s*${conn}(?<y1>\\d{4})(?!\\d)`;
  const mdy = `(?<m2>${month})${paired('p2')}\\s*(?<d2>\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])\\s*[,،]?\\s*(?<y2>\\d{4})(?!\\d)`;
  const numeric = `(?<![\\d.:])(?<na>\\d{1,4})\\s*(?<ns>[./-])\\s*(?<nb>\\d{1,2})\\s*\\k<ns>\\s*(?<nc>\\d{1,4})(?!\\d)`;
  const cjk = `(?<cy>\\d{4})\\s*[年년]\\s*(?<cm>\\d{1,2})\\s*[月월]\\s*(?<cd>\\d{1,2})\\s*[日일]?`;

  const ampm = `(?:\\s*(?<ap>${START}(?:${alternation([...raw.ampm.am, ...raw.ampm.pm])}))${END})?`;
  const zone = `(?:\\s*(?<zone>[+-]\\d{2}(?::?\\d{2})?(?!\\d)|(?:gmt|utc)\\s*[+-]\\s*\\d{1,2}(?::?\\d{2})?(?!\\d)|${START}(?:${alternation(Object.keys(raw.zones))})${END}))?`;
  // 12:09, 12:09:33.5, 12h09 (French), 12.09 Uhr (German).
  const time = `(?<![\\d.:])(?<h>\\d{1,2})(?:\\s?:\\s?|h(?=\\d{2})|\\.(?=\\d{2}\\s*uhr))(?<mi>\\d{2})(?::(?<s>\\d{2})(?:[.,]\\d+)?)?(?!\\d)${ampm}${zone}`;
  const skipWords = (lists: string[][]) => `${START}(?:${alternation(lists.flat())})${END}\\.?`;
  const gapAfter = `(?<gap>(?:[\\s,،;|\\-–—/@·•(]|t(?=\\d)|${skipWords([raw.timeConnectors, raw.gregorianMarkers, raw.weekdays])})*)`;
  const gapBefore = `^(?:[\\s,،;|\\-–—/@·•()]|${skipWords([raw.weekdays, raw.dateConnectors, raw.timeConnectors])})*$`;

  return {
    monthOf,
    calendarMonthOf,
    ampmOf,
    zoneOf,
    labelOf,
    date: new RegExp(`${dmy}|${mdy}|${numeric}|${cjk}`, 'gu'),
    timeAfter: new RegExp(`${gapAfter}${time}`, 'uy'),
    time: new RegExp(time, 'gu'),
    gapBefore: new RegExp(gapBefore, 'u'),
    hijriAfter: new RegExp(`\\s*(?:${alternation(raw.hijriMarkers)})${END}`, 'uy'),
    label: new RegExp(`${START}(?:${alternation(Object.values(raw.labels).flat())})${END}`, 'gu'),
    monthFirst: new Set(raw.numericOrder.monthFirst.map((t) => t.toLowerCase())),
    ambiguousOrder: new Set(raw.numericOrder.ambiguous.map((t) => t.toLowerCase())),
    metaKeys: { published: raw.metaKeys.published.map((k) => k.toLowerCase()), modified: raw.metaKeys.modified.map((k) => k.toLowerCase()) },
    hints: {
      date: new Set(raw.elementHints.date.map((w) => w.toLowerCase())),
      modified: new Set(raw.elementHints.modified.map((w) => w.toLowerCase())),
      avoid: new Set(raw.elementHints.avoid.map((w) => w.toLowerCase())),
      avoidTags: new Set(raw.elementHints.avoidTags.map((w) => w.toLowerCase())),
    },
    placeholders: new Set(raw.placeholderDates),
    minYear: raw.minYear,
  };
}

export function loadDateRules(path: string | URL = ruleFilePath('', 'dates.json')): DateRules {
  return compile(readRuleFile(FileSchema, path));
}

let bundled: DateRules | undefined;

/** The bundled rules, loaded on first use and kept. */
export function defaultDateRules(): DateRules {
  return (bundled ??= loadDateRules());
}
