/**
 * Dates in attribute values and page text → ISO 8601, keeping the page's own
 * UTC offset. Parsed by hand: a `new Date()` round trip would shift the time
 * into UTC (or the machine's zone) and lose the offset the site gave.
 *
 * The scanner reads ISO and numeric dates, month names in every family listed
 * in config/rules/dates.json (Arabic Egyptian/Gulf, Levantine, Maghreb and
 * Moroccan names, paired forms «28 آب/اغسطس 2013», English, French, German,
 * Spanish…), a time before or after the date (ص/م, am/pm, a zone or offset),
 * and the label before it ("Updated:", «آخر تحديث»). Dates written with
 * Hijri («11 شوال 1441هـ») or Solar Hijri («۲۱ اردیبهشت ۱۳۹۹») month names are
 * converted to Gregorian (calendars.ts) and marked `converted`: a Gregorian
 * date in the same text is preferred. A numeric date followed by «هـ» is
 * skipped (its calendar, lunar or solar, is not known); a year-first numeric
 * date below the Gregorian range on a Persian page («۱۴۰۲/۰۵/۱۲») is Solar Hijri.
 */
import { type DateLabel, type DateRules, defaultDateRules, foldDateText, wordKey } from './date-rules.js';
import { type Calendar, toGregorian } from './calendars.js';

export interface FoundDate {
  /** "YYYY-MM-DD", or "YYYY-MM-DDTHH:mm:ss" plus "Z" / "±HH:MM" when the text gives a zone. */
  iso: string;
  /** What the label before the date says it is ("Updated:" → 'modified', "Deadline:" → 'other'), if there is one. */
  label: DateLabel | null;
  /** Read from a Hijri or Solar Hijri date. */
  converted?: true;
}

export interface ScanOptions {
  /**
   * How to read an ambiguous numeric date (07/10/2020): day first, month
   * first, or not at all (null). Unset or null: day first when the text is
   * Arabic, else not at all.
   */
  dayFirst?: boolean | null;
  rules?: DateRules;
  /** toIsoDate only: the scanner to use (a caller's memo of scanDates with its own options). */
  scan?: (text: string) => FoundDate[];
}

type Groups = Record<string, string | undefined>;

/** Arabic letters or Arabic-Indic digits: the text is written day first. */
const ARABIC = /[\u0600-\u06FF]/;
/** How far a time may sit from its date (gap characters). */
const MAX_TIME_GAP = 30;

const pad = (n: number): string => String(n).padStart(2, '0');

/** "YYYY-MM-DD" when it is a real calendar day in range, not a CMS placeholder. */
function calendarDay(y: number, mo: number, d: number, rules: DateRules): string | null {
  if (y < rules.minYear || mo < 1 || mo > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  const day = `${y}-${pad(mo)}-${pad(d)}`;
  return rules.placeholders.has(day) ? null : day;
}

/** A Hijri or Solar Hijri day as a Gregorian "YYYY-MM-DD" in range; null for no such day. */
function convertedDay(cal: Calendar, y: number, m: number, d: number, rules: DateRules): string | null {
  const day = toGregorian(cal, y, m, d);
  return day && calendarDay(...(day.split('-').map(Number) as [number, number, number]), rules);
}

/** A month-name date, Hijri and Solar Hijri converted; null for an unknown month or no such day. */
function namedDate(y: string, month: string, d: string, rules: DateRules): string | null {
  const key = wordKey(month);
  const mo = rules.monthOf.get(key);
  if (mo) return calendarDay(Number(y), mo, Number(d), rules);
  const other = rules.calendarMonthOf.get(key);
  return other ? convertedDay(other[0], Number(y), other[1], Number(d), rules) : null;
}

/** The month group of a day-month-year or month-day-year match. */
const monthIn = (g: Groups): string | undefined => g['m1'] ?? g['m2'];

/**
 * Persian digits (۰–۹) or letters Arabic does not use (پ چ ژ گ ی ک): a numeric
 * year-first date below the Gregorian range («۱۴۰۲/۰۵/۱۲») is Solar Hijri.
 * Arabic writes Hijri numeric dates with «هـ» after them, which stay skipped.
 */
const PERSIAN = /[\u06F0-\u06F9\u067E\u0686\u0698\u06AF\u06CC\u06A9]/;

/** A year-first numeric date whose year is below the Gregorian range, on a Persian page: Solar Hijri. */
const isSolarNumeric = (g: Groups, solar: boolean, rules: DateRules): boolean =>
  solar && g['na']?.length === 4 && (g['nc']?.length ?? 0) <= 2 && Number(g['na']) < rules.minYear;

/** 2020-10-07, 07.10.2020, 07/10/2020 (day or month first: see ScanOptions.dayFirst); 1402/05/12 on a Persian page. */
function numericDate(g: Groups, dayFirst: boolean | null, solarNumeric: boolean, rules: DateRules): string | null {
  const [a, b, c] = [g['na']!, Number(g['nb']), g['nc']!];
  if (solarNumeric) return convertedDay('persian', Number(a), b, Number(c), rules);
  if (a.length === 4 && c.length <= 2) return calendarDay(Number(a), b, Number(c), rules);
  if (c.length !== 4 || a.length > 2) return null;
  const x = Number(a);
  // Dots are never month-first; a part above 12 can only be the day.
  const dmy = g['ns'] === '.' || x > 12 ? true : b > 12 ? false : dayFirst;
  if (dmy === null) return null;
  return dmy ? calendarDay(Number(c), b, x, rules) : calendarDay(Number(c), x, b, rules);
}

/** `solarNumeric`: the match is a Solar Hijri numeric date (isSolarNumeric, no «هـ» after it). */
function dateOf(g: Groups, dayFirst: boolean | null, solarNumeric: boolean, rules: DateRules): string | null {
  if (g['d1']) return namedDate(g['y1']!, g['m1']!, g['d1'], rules);
  if (g['d2']) return namedDate(g['y2']!, g['m2']!, g['d2'], rules);
  if (g['na']) return numericDate(g, dayFirst, solarNumeric, rules);
  return calendarDay(Number(g['cy']), Number(g['cm']), Number(g['cd']), rules);
}

/** "+0300" / "+03" / "GMT+3" / "GMT" → "+03:00" / "Z"; '' for a zone word without fixed offset; null when out of range. */
function offset(zone: string, rules: DateRules): string | null {
  const m = /^(?:gmt|utc)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return rules.zoneOf.get(wordKey(zone)) ?? '';
  const [h, min] = [Number(m[2]), Number(m[3] ?? '0')];
  return h > 14 || min > 59 ? null : `${m[1]}${pad(h)}:${pad(min)}`;
}

/** "THH:mm:ss[zone]" from a time match; null when it is no valid time. */
function timeOf(g: Groups, rules: DateRules): string | null {
  let h = Number(g['h']);
  const [mi, s] = [Number(g['mi']), Number(g['s'] ?? '0')];
  const ampm = g['ap'] ? rules.ampmOf.get(wordKey(g['ap'])) : undefined;
  // "13:45 م" is common on Arabic sites: a 24-hour time with a redundant pm.
  if (ampm === 'pm' && h < 12) h += 12;
  if (ampm === 'am' && h === 12) h = 0;
  if (h > 23 || mi > 59 || s > 59) return null;
  const off = g['zone'] ? offset(g['zone'], rules) : '';
  return off === null ? null : `T${pad(h)}:${pad(mi)}:${pad(s)}${off}`;
}

/** The time right after a date ("… 2020 - 12:09 م", "…T12:09:00+03:00"). */
function timeAfter(t: string, at: number, rules: DateRules): RegExpExecArray | null {
  rules.timeAfter.lastIndex = at;
  const m = rules.timeAfter.exec(t);
  return m && m.groups!['gap']!.length <= MAX_TIME_GAP ? m : null;
}

/** The time right before a date ("3:05 PM ET, Wed October 7, 2020"), not before `from`. */
function timeBefore(t: string, from: number, to: number, rules: DateRules): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  rules.time.lastIndex = Math.max(from, to - MAX_TIME_GAP - 25);
  for (let m; (m = rules.time.exec(t)) && m.index + m[0].length <= to; ) if (m.index >= from) last = m;
  return last && rules.gapBefore.test(t.slice(last.index + last[0].length, to)) ? last : null;
}

/** The last label between `from` and `to`. */
function labelIn(t: string, from: number, to: number, rules: DateRules): DateLabel | null {
  let label: DateLabel | null = null;
  rules.label.lastIndex = from;
  for (let m; (m = rules.label.exec(t)) && m.index + m[0].length <= to; ) label = rules.labelOf.get(wordKey(m[0])) ?? label;
  return label;
}

/** The last date label in `text` ("Updated", «آخر تحديث», "Datum"), or null. */
export function dateLabelOf(text: string, rules: DateRules = defaultDateRules()): DateLabel | null {
  const t = foldDateText(text);
  return labelIn(t, 0, t.length, rules);
}

/** Every Gregorian date in `text`, in order. Invalid, ambiguous and Hijri dates are skipped. */
export function scanDates(text: string, opts: ScanOptions = {}): FoundDate[] {
  const rules = opts.rules ?? defaultDateRules();
  const t = foldDateText(text);
  const dayFirst = opts.dayFirst ?? (ARABIC.test(text) ? true : null);
  const solar = PERSIAN.test(text);
  const found: FoundDate[] = [];
  const re = rules.date;
  let prevEnd = 0;
  re.lastIndex = 0;
  for (let m; (m = re.exec(t)); ) {
    let end = m.index + m[0].length;
    const month = monthIn(m.groups!);
    rules.hijriAfter.lastIndex = end;
    const marker = rules.hijriAfter.exec(t);
    // A numeric date with «هـ» after it is lunar Hijri even on a Persian page: skipped, as its day cannot be told.
    const solarNumeric = !marker && isSolarNumeric(m.groups!, solar, rules);
    const converted = solarNumeric || (month !== undefined && rules.calendarMonthOf.has(wordKey(month)));
    if (marker && !converted) continue;
    // «11 شوال 1441هـ - 10:30 ص»: the time comes after the marker.
    if (marker) end += marker[0].length;
    const day = dateOf(m.groups!, dayFirst, solarNumeric, rules);
    if (!day) continue;
    let start = m.index;
    let next = end;
    let time = '';
    const after = timeAfter(t, end, rules);
    const before = after ? null : timeBefore(t, prevEnd, m.index, rules);
    const tm = after ?? before;
    if (tm) {
      const parsed = timeOf(tm.groups!, rules);
      if (parsed === null) continue;
      time = parsed;
      if (after) next = end + after[0].length;
      else start = before!.index;
    }
    const label = labelIn(t, prevEnd, start, rules);
    found.push(converted ? { iso: day + time, label, converted } : { iso: day + time, label });
    prevEnd = next;
    re.lastIndex = next;
  }
  return found;
}

const EPOCH = /^\d{10}(?:\d{3})?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/** A date value (meta content, JSON-LD, datetime attribute) → ISO 8601; null if it holds no Gregorian date. */
export function toIsoDate(value: string | null | undefined, opts: ScanOptions = {}): string | null {
  const v = value?.trim();
  if (!v) return null;
  const rules = opts.rules ?? defaultDateRules();
  if (EPOCH.test(v)) {
    const iso = new Date(v.length === 10 ? Number(v) * 1000 : Number(v)).toISOString();
    return calendarDay(...(iso.slice(0, 10).split('-').map(Number) as [number, number, number]), rules) && iso.replace(/\.\d{3}Z$/, 'Z');
  }
  const compact = COMPACT.exec(v);
  if (compact) return calendarDay(Number(compact[1]), Number(compact[2]), Number(compact[3]), rules);
  return preferGregorian(opts.scan ? opts.scan(v) : scanDates(v, { ...opts, rules }))?.iso ?? null;
}

/** The first date written in the Gregorian calendar, else the first converted one. */
export function preferGregorian(dates: FoundDate[]): FoundDate | undefined {
  return dates.find((d) => !d.converted) ?? dates[0];
}
