import { describe, expect, it } from 'vitest';
import { latestInstant, normalizeFeedDate } from '../../../../src/stages/fetch/discover/feed-dates.js';

describe('normalizeFeedDate: RFC 822 / 2822 (RSS pubDate)', () => {
  it.each([
    ['Wed, 07 Oct 2020 12:09:00 +0300', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 Oct 2020 12:09:00 -0430', '2020-10-07T12:09:00-04:30'],
    ['Wed, 07 Oct 2020 12:09:00 +03:00', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 Oct 2020 12:09:00 GMT', '2020-10-07T12:09:00Z'],
    ['Wed, 07 Oct 2020 12:09:00 UT', '2020-10-07T12:09:00Z'],
    ['Wed, 07 Oct 2020 12:09:00 utc', '2020-10-07T12:09:00Z'],
    ['Wed, 07 Oct 2020 12:09:00 Z', '2020-10-07T12:09:00Z'],
    ['Wed, 07 Oct 2020 12:09:00 EST', '2020-10-07T12:09:00-05:00'],
    ['Wed, 07 Oct 2020 12:09:00 EDT', '2020-10-07T12:09:00-04:00'],
    ['Wed, 07 Oct 2020 12:09:00 PST', '2020-10-07T12:09:00-08:00'],
    ['Wed, 07 Oct 2020 12:09:00 PDT', '2020-10-07T12:09:00-07:00'],
    ['Wed, 07 Oct 2020 12:09:00 CEST', '2020-10-07T12:09:00+02:00'],
    ['Wed, 07 Oct 2020 12:09:00 GMT+3', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 Oct 2020 12:09:00 GMT+0530', '2020-10-07T12:09:00+05:30'],
    ['Wed, 07 Oct 2020 12:09:00 +0300 (EEST)', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 Oct 20 12:09:00 +0300', '2020-10-07T12:09:00+03:00'],
    ['Thu, 07 Oct 99 12:09:00 GMT', '1999-10-07T12:09:00Z'],
    ['Mon, 5 Oct 2020 18:00 +0300', '2020-10-05T18:00:00+03:00'],
    ['Wednesday, 07 October 2020 12:09:00 GMT', '2020-10-07T12:09:00Z'],
    ['Wed,07 Oct 2020 12:09:00 GMT', '2020-10-07T12:09:00Z'],
    ['07 Oct 2020 12:09:00 +0300', '2020-10-07T12:09:00+03:00'],
    ['Wed, 07 oct 2020 12:09:00 +0300', '2020-10-07T12:09:00+03:00'],
    ['Tue, 07 Sept 2021 08:00:00 GMT', '2021-09-07T08:00:00Z'],
    ['Wed, 07-Oct-2020 12:09:00 GMT', '2020-10-07T12:09:00Z'],
    ['Wed, 07 Oct 2020', '2020-10-07'],
    ['  Wed, 07 Oct 2020 12:09:00 +0300  ', '2020-10-07T12:09:00+03:00'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeFeedDate(input)).toBe(expected);
  });

  it.each([
    ['unknown zone name', 'Wed, 07 Oct 2020 12:09:00 XYZ', '2020-10-07T12:09:00'],
    ['ambiguous zone name', 'Wed, 07 Oct 2020 12:09:00 IST', '2020-10-07T12:09:00'],
    ['military zone letter (RFC 2822: unknown)', 'Wed, 07 Oct 2020 12:09:00 A', '2020-10-07T12:09:00'],
  ])('%s keeps the wall-clock time without an offset', (_, input, expected) => {
    expect(normalizeFeedDate(input)).toBe(expected);
  });
});

describe('normalizeFeedDate: ISO 8601 / W3C datetime (Atom, JSON Feed, sitemaps)', () => {
  it.each([
    ['2024-10-16', '2024-10-16'],
    ['2024-10-16T08:30:00+03:00', '2024-10-16T08:30:00+03:00'],
    ['2024-10-16T08:30:00Z', '2024-10-16T08:30:00Z'],
    ['2024-10-16t08:30:00z', '2024-10-16T08:30:00Z'],
    ['2024-10-16T08:30:00.123456+03:00', '2024-10-16T08:30:00+03:00'],
    ['2024-10-16T08:30+03:00', '2024-10-16T08:30:00+03:00'],
    ['2024-10-16T08:30:00+0300', '2024-10-16T08:30:00+03:00'],
    ['2024-10-16T08:30:00-05', '2024-10-16T08:30:00-05:00'],
    ['2024-10-16T08:30:00+00:00', '2024-10-16T08:30:00+00:00'],
    ['2024-10-16T08:30:00', '2024-10-16T08:30:00'],
    ['2024-10-16 08:30:00', '2024-10-16T08:30:00'],
    ['2024-10-16 08:30:00 +03:00', '2024-10-16T08:30:00+03:00'],
    ['2024-10-16 08:30:00 UTC', '2024-10-16T08:30:00Z'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeFeedDate(input)).toBe(expected);
  });
});

describe('normalizeFeedDate: garbage is null, never an exception', () => {
  it.each([
    [''],
    ['   '],
    ['yesterday'],
    ['الاثنين 5 أكتوبر 2020'],
    ['15/10/2024'],
    ['2024-13-01'],
    ['2024-02-30'],
    ['2023-02-29'],
    ['1900-02-29'],
    ['2024-10-16T25:00:00Z'],
    ['2024-10-16T23:60:00Z'],
    ['2024-10-16T08:30:00+25:00'],
    ['2024-10'],
    ['2024'],
    ['Wed, 32 Oct 2020 12:00:00 GMT'],
    ['Wed, 07 Foo 2020 12:00:00 GMT'],
    ['Wed, 07 Oct 2020 24:00:00 GMT'],
    ['Wed, 07 Oct 2020 12:09:00 +2500'],
    ['1602061740'],
    ['2024-10-16T08:30:00Z'.repeat(10)],
    ['9'.repeat(100_000)],
  ])('%j → null', (input) => {
    expect(normalizeFeedDate(input)).toBeNull();
  });

  it('takes null and undefined', () => {
    expect(normalizeFeedDate(null)).toBeNull();
    expect(normalizeFeedDate(undefined)).toBeNull();
  });
});

describe('latestInstant', () => {
  it('reads an offset exactly', () => {
    expect(latestInstant('2020-10-07T12:09:00+03:00')).toBe(Date.parse('2020-10-07T09:09:00Z'));
    expect(latestInstant('Wed, 07 Oct 2020 12:09:00 GMT')).toBe(Date.parse('2020-10-07T12:09:00Z'));
  });

  it('reads a time without zone in UTC−12, the latest zone', () => {
    expect(latestInstant('2020-10-07T12:00:00')).toBe(Date.parse('2020-10-08T00:00:00Z'));
  });

  it('runs a date alone to the end of that day in UTC−12', () => {
    expect(latestInstant('2020-10-07')).toBe(Date.parse('2020-10-08T12:00:00Z') - 1);
  });

  it('is null for garbage', () => {
    expect(latestInstant('soon')).toBeNull();
  });
});
