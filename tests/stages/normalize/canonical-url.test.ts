import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../src/shared/errors.js';
import { canonicalizeUrl, compileUrlRules, loadUrlRules } from '../../../src/stages/normalize/canonical-url.js';

const rules = loadUrlRules();

describe('canonicalizeUrl', () => {
  it.each([
    ['HTTPS://News.Example.COM:443/Politics/Story-1', 'https://news.example.com/Politics/Story-1'],
    ['http://news.example.com:80/a', 'http://news.example.com/a'],
    ['https://news.example.com:8443/a', 'https://news.example.com:8443/a'],
    ['https://news.example.com/a#comments', 'https://news.example.com/a'],
    ['https://news.example.com/a?utm_source=tw&utm_medium=social&fbclid=X1', 'https://news.example.com/a'],
    ['https://news.example.com/a?id=42&gclid=abc&page=2', 'https://news.example.com/a?id=42&page=2'],
    ['https://news.example.com/ar/أخبار/خبر?UTM_Campaign=x', 'https://news.example.com/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%AE%D8%A8%D8%B1'],
    ['https://news.example.com/search?q=a+b', 'https://news.example.com/search?q=a+b'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalizeUrl(input, rules)).toBe(expected);
  });

  it('drops tracking parameters without re-encoding the rest of the query (%20 stays %20, never +)', () => {
    const a = canonicalizeUrl('https://news.example.com/s?q=%2Fa%20b&utm_campaign=x', rules);
    expect(a).toBe('https://news.example.com/s?q=%2Fa%20b');
    expect(canonicalizeUrl('https://news.example.com/s?q=%2Fa%20b', rules)).toBe(a);
    expect(canonicalizeUrl('https://news.example.com/s?utm_source=x&b=1;2&a=%3d', rules)).toBe('https://news.example.com/s?b=1;2&a=%3D');
  });

  it('recognises a tracking name however it is written (escaped, +, empty pairs)', () => {
    expect(canonicalizeUrl('https://news.example.com/s?utm%5Fsource=x&&id=7&fbclid', rules)).toBe('https://news.example.com/s?id=7');
  });

  it('decodes escapes of unreserved characters and uppercases the others, in path and query (RFC 3986 6.2.2)', () => {
    expect(canonicalizeUrl('https://news.example.com/a/%41.html', rules)).toBe('https://news.example.com/a/A.html');
    expect(canonicalizeUrl('https://news.example.com/a/%7euser/%2fx%2F?k=%7E%2f%c3%a9', rules)).toBe('https://news.example.com/a/~user/%2Fx%2F?k=~%2F%C3%A9');
    expect(canonicalizeUrl('https://news.example.com/a/%41.html?q=%2Fa%20b&utm_campaign=x', rules)).toBe(
      canonicalizeUrl('https://news.example.com/a/A.html?q=%2Fa%20b', rules),
    );
  });

  it('is idempotent', () => {
    const escape = fc.constantFrom('%41', '%7e', '%2f', '%2F', '%20', '+', '%c3%a9', 'é', '~', '%25', ' ');
    const word = fc.array(fc.oneof(fc.constantFrom('a', 'B', '1', '-', '.', '=', ';'), escape), { maxLength: 6 }).map((p) => p.join(''));
    const param = fc.tuple(fc.oneof(word, fc.constantFrom('utm_source', 'UTM_Medium', 'fbclid', 'utm%5Fid')), word).map(([k, v]) => `${k}=${v}`);
    const url = fc
      .tuple(fc.webUrl(), fc.array(word, { maxLength: 3 }), fc.array(param, { maxLength: 4 }), fc.option(word))
      .map(([base, segs, params, frag]) => `${base}/${segs.join('/')}${params.length ? `?${params.join('&')}` : ''}${frag === null ? '' : `#${frag}`}`);
    fc.assert(
      fc.property(url, (u) => {
        const once = canonicalizeUrl(u, rules);
        expect(canonicalizeUrl(once, rules)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves relative and non-http values alone', () => {
    expect(canonicalizeUrl('/news/1', rules)).toBe('/news/1');
    expect(canonicalizeUrl('mailto:desk@example.com', rules)).toBe('mailto:desk@example.com');
  });

  it('rejects a malformed rules file with CONFIG_INVALID', () => {
    expect(() => compileUrlRules({ tracking: 'utm_*' })).toThrow(NewscleanError);
  });
});
