import { describe, expect, it } from 'vitest';
import { EXIT, exitFor, parseRate, runExit, runVerdict } from '../../src/cli/args.js';

describe('exit statuses', () => {
  it('a coded error maps to its own status', () => {
    expect(exitFor('CONFIG_INVALID')).toBe(3);
    expect(exitFor('STATE_UNAVAILABLE')).toBe(4);
    expect(exitFor('RUN_IN_PROGRESS')).toBe(5);
    expect(exitFor('USAGE')).toBe(2);
    expect(exitFor('OUTPUT_FAILED')).toBe(74);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length); // all distinct
  });
  it.each([
    [{ articles: 5, rejects: 5 }, 0.5, 0.5, false, 0], // at the threshold is not over it
    [{ articles: 5, rejects: 5 }, 0.6, 0.5, false, 1],
    [{ articles: 0, rejects: 3 }, 0, 0.5, true, 1], // every given input rejected
    [{ articles: 0, rejects: 3 }, 0, 0.5, false, 0], // a crawl that found only hub pages
    [{ articles: 0, rejects: 0 }, 0, 0.5, true, 0], // nothing to do
    [{ articles: 1, rejects: 0 }, 0, 0, true, 0],
  ])('runExit(%o, rate %d, max %d, explicit %s) = %d', (counts, rate, max, explicit, code) => {
    expect(runExit(counts, rate, max, explicit)).toBe(code);
  });
  it('runVerdict: an unreachable site wins (exit 6) and the line names the sites; the failure rate line names the threshold', () => {
    const base = { counts: { articles: 3, rejects: 7 }, rejectsByCode: { HTTP_404: 5, FETCH_TIMEOUT: 2 }, failureRate: 0.7, maxFailureRate: 0.5, explicitInputs: false };
    expect(runVerdict(base)).toEqual({ code: 1, why: 'RUN_FAILED: failure rate 70 % passed run.maxFailureRate 50 % (HTTP_404 5, FETCH_TIMEOUT 2)' });
    const sites = [{ site: 'a', code: 'SITE_UNREACHABLE', message: 'x' }, { site: 'b', code: 'ROBOTS_UNAVAILABLE', message: 'y' }];
    expect(runVerdict({ ...base, sitesFailed: sites })).toEqual({ code: 6, why: 'SITE_UNREACHABLE/ROBOTS_UNAVAILABLE: 2 sites could not be reached: a, b' });
    expect(runVerdict({ ...base, failureRate: 0 })).toEqual({ code: 0, why: null });
    expect(runVerdict({ ...base, counts: { articles: 0, rejects: 7 }, failureRate: 0, explicitInputs: true }).why).toBe('RUN_FAILED: every input was rejected (HTTP_404 5, FETCH_TIMEOUT 2)');
  });
  it('parseRate accepts 0..1 and refuses the rest as USAGE', () => {
    expect(parseRate('0.25')).toBe(0.25);
    expect(parseRate('1')).toBe(1);
    for (const bad of ['', '-0.1', '1.5', 'half', 'NaN']) expect(() => parseRate(bad)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
