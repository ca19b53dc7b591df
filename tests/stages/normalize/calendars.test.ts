import { describe, expect, it } from 'vitest';
import { toGregorian } from '../../../src/stages/normalize/calendars.js';

describe('toGregorian', () => {
  it.each<['islamic' | 'persian', number, number, number, string | null]>([
    ['islamic', 1441, 10, 11, '2020-06-03'],
    ['islamic', 1441, 9, 3, '2020-04-26'],
    ['islamic', 1446, 1, 1, '2024-07-07'],
    ['persian', 1399, 2, 21, '2020-05-10'],
    ['persian', 1403, 5, 13, '2024-08-03'],
    ['persian', 1403, 1, 1, '2024-03-20'],
    ['persian', 1403, 12, 30, '2025-03-20'], // 1403 is a leap year
    ['persian', 1402, 12, 30, null],
    ['persian', 1399, 7, 31, null], // the second half-year has 30-day months
    ['islamic', 1441, 13, 1, null],
    ['islamic', 900, 1, 1, null],
  ])('%s %i-%i-%i → %s', (cal, y, m, d, want) => {
    expect(toGregorian(cal, y, m, d)).toBe(want);
  });

  it('inverts ICU on every day of a few years in both calendars', () => {
    for (const cal of ['islamic', 'persian'] as const) {
      const fmt = new Intl.DateTimeFormat(`en-u-ca-${cal === 'islamic' ? 'islamic-umalqura' : 'persian'}-nu-latn`, { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
      for (let ms = Date.UTC(2019, 0, 1); ms < Date.UTC(2021, 0, 1); ms += 86_400_000 * 3) {
        const parts = Object.fromEntries(fmt.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
        expect(toGregorian(cal, parts['year']!, parts['month']!, parts['day']!)).toBe(new Date(ms).toISOString().slice(0, 10));
      }
    }
  });
});
