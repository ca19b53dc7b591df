import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../src/errors.js';
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

  it('leaves relative and non-http values alone', () => {
    expect(canonicalizeUrl('/news/1', rules)).toBe('/news/1');
    expect(canonicalizeUrl('mailto:desk@example.com', rules)).toBe('mailto:desk@example.com');
  });

  it('rejects a malformed rules file with CONFIG_INVALID', () => {
    expect(() => compileUrlRules({ tracking: 'utm_*' })).toThrow(NewscleanError);
  });
});
