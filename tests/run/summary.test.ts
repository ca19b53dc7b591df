import { describe, expect, it } from 'vitest';
import { buildReport, createSample, failureRate, formatReport } from '../../src/run/summary.js';

const IGNORE = ['NOT_AN_ARTICLE', 'DUPLICATE_URL', 'ROBOTS_DISALLOWED', 'NOT_MODIFIED'];

describe('failureRate', () => {
  it.each([
    [{ articles: 0, rejects: 0 }, {}, 0], // nothing new in an incremental run is not a failure
    [{ articles: 8, rejects: 2 }, { HTTP_404: 2 }, 0.2],
    [{ articles: 1, rejects: 3 }, { NOT_AN_ARTICLE: 2, FETCH_TIMEOUT: 1 }, 0.25],
    [{ articles: 0, rejects: 4 }, { NOT_AN_ARTICLE: 3, ROBOTS_DISALLOWED: 1 }, 0], // hub pages and policy
    [{ articles: 0, rejects: 2 }, { HTTP_503: 1, PRIVATE_NETWORK: 1 }, 1],
    // known, unchanged and --max-articles skips are what the run rightly did not redo: successes
    [{ articles: 0, rejects: 1, known: 40 }, { HTTP_404: 1 }, 1 / 41],
    [{ articles: 0, rejects: 1, unchanged: 2, skipped: 1 }, { HTTP_404: 1 }, 0.25],
    [{ articles: 0, rejects: 0, known: 40 }, {}, 0],
  ])('%o with %o → %d', (counts, byCode, rate) => {
    expect(failureRate(counts, byCode, IGNORE)).toBeCloseTo(rate, 10);
  });
});

describe('buildReport', () => {
  const input = {
    status: 'done' as const,
    seconds: 4,
    counts: { articles: 6, rejects: 3, unchanged: 1, fetched: 10 },
    rejectsByCode: { HTTP_404: 2, NOT_AN_ARTICLE: 1 },
    bytes: 3 * 1024 * 1024,
    hosts: { 'b.test': { fetched: 2, bytes: 10, articles: 1, rejects: 1 }, 'a.test': { fetched: 8, bytes: 20, articles: 5, rejects: 2 } },
    fetchMs: [30, 10, 20, 40, 100, 50, 60, 70, 80, 90],
  };
  it('pages/s, failure rate, nearest-rank fetch percentiles, busiest host first', () => {
    const r = buildReport(input, IGNORE);
    expect(r).toMatchObject({ status: 'done', duration_s: 4, pages_per_s: 2.5, bytes: 3 * 1024 * 1024, failure_rate: 0.2, fetch_ms: { p50: 50, p95: 100, max: 100 } });
    expect(Object.keys(r.by_host)).toEqual(['a.test', 'b.test']);
    expect(r.by_code).toEqual({ HTTP_404: 2, NOT_AN_ARTICLE: 1 });
  });
  it('no fetch times: fetch_ms null; zero seconds: 0 pages/s', () => {
    expect(buildReport({ ...input, fetchMs: [], seconds: 0 }, IGNORE)).toMatchObject({ fetch_ms: null, pages_per_s: 0 });
  });
  it('formatReport: the headline, rejects by count, one line per host, the rest counted', () => {
    const text = formatReport(buildReport(input, IGNORE), 1);
    expect(text.split('\n')).toEqual([
      '  done, 4.0 s, 2.5 pages/s, 3.0 MB fetched, failure rate 20.0 %, fetch p50 50 ms / p95 100 ms',
      '  rejects: HTTP_404 2, NOT_AN_ARTICLE 1',
      '  a.test: 8 fetched, 5 articles, 2 rejects, 0.0 KB',
      '  … and 1 more hosts (see the manifest)',
      '',
    ]);
  });
});

describe('createSample', () => {
  it('keeps everything up to its capacity, then a bounded uniform sample', () => {
    const s = createSample(100, () => 0.5);
    for (let i = 0; i < 100; i++) s.add(i);
    expect(s.values).toHaveLength(100);
    for (let i = 100; i < 10_000; i++) s.add(i);
    expect(s.values).toHaveLength(100);
    expect(s.values.some((v) => v >= 100)).toBe(true); // later values do replace earlier ones
  });
});
