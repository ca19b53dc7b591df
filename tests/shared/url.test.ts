import { describe, expect, it } from 'vitest';
import {
  INVALID_HOST,
  canonicalizeUrl,
  compileTrackingRules,
  hostKey,
  hostOf,
  hostnameOf,
  isHttp,
  isOnSite,
  normalizeEscapes,
  parseHttpUrl,
  parseUrl,
  resolveLink,
  siteHostname,
} from '../../src/shared/url.js';

describe('parseUrl / parseHttpUrl', () => {
  it('parses absolute URLs of any scheme, and null for what does not parse', () => {
    expect(parseUrl('mailto:a@b.example')?.protocol).toBe('mailto:');
    expect(parseUrl('not a url')).toBeNull();
    expect(parseUrl('/relative')).toBeNull();
  });
  it('resolves against a base; a null base is no base (not the string "null")', () => {
    expect(parseUrl('b/c', 'https://x.example/a/')?.href).toBe('https://x.example/a/b/c');
    expect(parseUrl('b/c', null)).toBeNull();
    expect(parseUrl('https://y.example/', null)?.href).toBe('https://y.example/');
    expect(parseUrl('x', 'not a base')).toBeNull();
  });
  it('parseHttpUrl keeps http(s) only', () => {
    expect(parseHttpUrl('HTTP://X.example')?.href).toBe('http://x.example/');
    expect(parseHttpUrl('ftp://x.example/')).toBeNull();
    expect(parseHttpUrl('javascript:alert(1)', 'https://x.example/')).toBeNull();
    expect(isHttp(new URL('https://x.example'))).toBe(true);
    expect(isHttp(new URL('file:///etc/passwd'))).toBe(false);
  });
});

describe('resolveLink', () => {
  it('resolves, drops the fragment, keeps http(s) only', () => {
    expect(resolveLink('../b?x=1#top', 'https://x.example/a/c')).toBe('https://x.example/b?x=1');
    expect(resolveLink('#top', 'https://x.example/a')).toBe('https://x.example/a');
    expect(resolveLink('mailto:a@b.example', 'https://x.example/')).toBeNull();
    expect(resolveLink('/a', 'not a url')).toBeNull();
    expect(resolveLink('/a')).toBeNull();
    expect(resolveLink('https://y.example/p#f')).toBe('https://y.example/p');
  });
});

describe('hostKey / hostOf', () => {
  it.each([
    ['https://News.Example.com/a', 'news.example.com'],
    ['https://news.example.com:443/a', 'news.example.com'],
    ['http://news.example.com:8080/a', 'news.example.com:8080'],
    ['https://[::1]:8443/', '[::1]:8443'],
  ])('%s → %s', (url, key) => {
    expect(hostKey(url)).toBe(key);
    expect(hostOf(url)).toBe(key);
  });
  it('hostKey throws INVALID_URL, hostOf says (invalid)', () => {
    expect(() => hostKey('/a')).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
    expect(hostOf('/a')).toBe(INVALID_HOST);
    expect(INVALID_HOST).toBe('(invalid)');
  });
});

describe('site matching', () => {
  it('reads a configured host written as host, host:port, IDN or URL', () => {
    expect(hostnameOf(' News.Example.com ')).toBe('news.example.com');
    expect(hostnameOf('news.example.com:8080')).toBe('news.example.com');
    expect(hostnameOf('https://News.Example.com/feed')).toBe('news.example.com');
    expect(hostnameOf('مثال.example')).toBe('xn--mgbh0fb.example');
    expect(hostnameOf('[0:0::1]')).toBe('[::1]');
    expect(hostnameOf('bad host^')).toBe('bad host^');
  });
  it('ignores case, a trailing dot and a leading www., not the port', () => {
    expect(siteHostname('www.Example.com.')).toBe('example.com');
    const on = (url: string, hosts: string[]) => isOnSite(new URL(url), hosts);
    expect(on('https://www.example.com/a', ['example.com'])).toBe(true);
    expect(on('https://example.com./a', ['www.example.com'])).toBe(true);
    expect(on('http://example.com:8080/a', ['https://example.com'])).toBe(true);
    expect(on('https://news.example.com/a', ['example.com'])).toBe(false);
    expect(on('https://example.org/a', ['example.com', 'https://example.net/'])).toBe(false);
  });
});

describe('canonicalizeUrl', () => {
  const rules = compileTrackingRules(['utm_*', 'fbclid']);
  it('strips tracking parameters (exact and prefix, any case), the fragment and the default port', () => {
    expect(canonicalizeUrl('HTTPS://News.Example.com:443/A%7e?UTM_Source=x&id=7&fbclid=1#c', rules)).toBe('https://news.example.com/A~?id=7');
  });
  it('leaves non-http(s) and unparsable values unchanged', () => {
    expect(canonicalizeUrl('mailto:a@b.example', rules)).toBe('mailto:a@b.example');
    expect(canonicalizeUrl('not a url', rules)).toBe('not a url');
  });
  it('normalizeEscapes decodes unreserved escapes and uppercases the rest', () => {
    expect(normalizeEscapes('%41%2f%7E')).toBe('A%2F~');
  });
});
