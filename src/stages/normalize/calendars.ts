/**
 * Dates of other calendars → Gregorian: the Hijri (lunar, Umm al-Qura as
 * Saudi Arabia publishes it) and the Persian Solar Hijri calendar (Iran,
 * Afghanistan). ICU does the calendar arithmetic: Intl.DateTimeFormat formats
 * a Gregorian day in either calendar, so the conversion is an estimate from
 * the calendars' mean year lengths, then a search of the few days around it
 * for the day ICU formats as the wanted one. A date that no day formats as
 * (30 Safar in a 29-day year, 31 Mehr) is no date.
 */
export type Calendar = 'islamic' | 'persian';

const ICU_CALENDAR: Record<Calendar, string> = { islamic: 'islamic-umalqura', persian: 'persian' };
/** Years each calendar's dates are read in (news pages, and a margin). */
const YEARS: Record<Calendar, [number, number]> = { islamic: [1300, 1500], persian: [1250, 1500] };
const DAY_MS = 86_400_000;
/** Days searched either side of the estimate. */
const SEARCH_DAYS = 4;

const formatters = new Map<Calendar, Intl.DateTimeFormat>();
function formatter(cal: Calendar): Intl.DateTimeFormat {
  let f = formatters.get(cal);
  if (!f) {
    f = new Intl.DateTimeFormat(`en-u-ca-${ICU_CALENDAR[cal]}-nu-latn`, { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(cal, f);
  }
  return f;
}

/** [year, month, day] of a Gregorian instant in `cal`. */
function partsIn(cal: Calendar, ms: number): [number, number, number] {
  let y = 0;
  let m = 0;
  let d = 0;
  for (const p of formatter(cal).formatToParts(ms)) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') m = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
  }
  return [y, m, d];
}

/** Epoch ms (UTC midnight) near the given calendar day, from mean month and year lengths. */
function estimate(cal: Calendar, y: number, m: number, d: number): number {
  if (cal === 'islamic') {
    // 1 Muharram 1 AH = 16 July 622 (Julian) ≈ 19 July 622 proleptic Gregorian.
    const days = (y - 1) * 354.36667 + (m - 1) * 29.530589 + (d - 1);
    return Date.UTC(622, 6, 19) + Math.round(days) * DAY_MS;
  }
  // 1 Farvardin 1 AP ≈ 22 March 622: six 31-day months, then 30-day months.
  const days = (y - 1) * 365.24219 + (m <= 6 ? (m - 1) * 31 : 186 + (m - 7) * 30) + (d - 1);
  return Date.UTC(622, 2, 22) + Math.round(days) * DAY_MS;
}

/** The Gregorian "YYYY-MM-DD" of a day in `cal`; null when there is no such day or the year is out of range. */
export function toGregorian(cal: Calendar, y: number, m: number, d: number): string | null {
  const [lo, hi] = YEARS[cal];
  if (y < lo || y > hi || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const guess = estimate(cal, y, m, d);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    for (const ms of i === 0 ? [guess] : [guess + i * DAY_MS, guess - i * DAY_MS]) {
      const [py, pm, pd] = partsIn(cal, ms);
      if (py === y && pm === m && pd === d) return new Date(ms).toISOString().slice(0, 10);
    }
  }
  return null;
}
