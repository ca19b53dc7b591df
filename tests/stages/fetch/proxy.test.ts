import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../src/shared/errors.js';
import { noProxyMatches, proxyAgentPool, proxyFor } from '../../../src/stages/fetch/proxy.js';

describe('proxy selection', () => {
  const u = (s: string) => new URL(s);
  it('prefers the configured proxy', () => {
    expect(proxyFor(u('https://a.example/'), 'http://proxy:3128', { HTTPS_PROXY: 'http://other:1' })).toBe('http://proxy:3128');
  });
  it('reads HTTPS_PROXY for https and HTTP_PROXY for http, either case', () => {
    const env = { https_proxy: 'http://sec:1', HTTP_PROXY: 'http://plain:2' };
    expect(proxyFor(u('https://a.example/'), '', env)).toBe('http://sec:1');
    expect(proxyFor(u('http://a.example/'), '', env)).toBe('http://plain:2');
    expect(proxyFor(u('https://a.example/'), '', { http_proxy: 'http://plain:2' })).toBe('http://plain:2');
    expect(proxyFor(u('https://a.example/'), '', {})).toBeNull();
  });
  it('honours NO_PROXY suffixes, ports and *', () => {
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'internal.example, .corp.example,localhost:8443' };
    expect(proxyFor(u('https://internal.example/'), '', env)).toBeNull();
    expect(proxyFor(u('https://api.internal.example/'), '', env)).toBeNull();
    expect(proxyFor(u('https://corp.example/'), '', env)).toBeNull();
    expect(proxyFor(u('https://notinternal.example/'), '', env)).toBe('http://p:1');
    expect(proxyFor(u('https://news.example/'), '', env)).toBe('http://p:1');
    expect(proxyFor(u('https://news.example/'), '', { ...env, no_proxy: '*', NO_PROXY: undefined })).toBeNull();
    expect(noProxyMatches('localhost:8443', 'localhost', '8443')).toBe(true);
    expect(noProxyMatches('localhost:8443', 'localhost', '443')).toBe(false);
    expect(noProxyMatches('*.example.org', 'www.example.org', '443')).toBe(true);
    expect(noProxyMatches('', 'www.example.org', '443')).toBe(false);
  });
});

/**
 * NO_PROXY forms as curl and Go read them (proxy-from-env, which matches a
 * bare name only exactly and a dotted one only below it, was not adopted:
 * see the commit adding these tests).
 */
describe('NO_PROXY forms', () => {
  const env = { HTTPS_PROXY: 'http://sec:1', HTTP_PROXY: 'http://plain:2' };
  const via = (noProxy: string, url: string): string | null => proxyFor(new URL(url), '', { ...env, NO_PROXY: noProxy });

  it('host:port exempts that port only, the default port of the scheme included', () => {
    expect(via('news.example:8080', 'https://news.example:8080/')).toBeNull();
    expect(via('news.example:8080', 'https://news.example/')).toBe('http://sec:1');
    expect(via('a.example:443', 'https://a.example/')).toBeNull();
    expect(via('a.example:443', 'http://a.example/')).toBe('http://plain:2');
    expect(via('.example.com:8443', 'https://www.example.com:8443/')).toBeNull();
    expect(via('.example.com:8443', 'https://www.example.com/')).toBe('http://sec:1');
  });

  it('a leading dot or *. covers the domain itself and its subdomains, on a label boundary', () => {
    for (const entry of ['.example.com', '*.example.com', 'example.com']) {
      expect(via(entry, 'https://example.com/'), entry).toBeNull();
      expect(via(entry, 'https://www.example.com/'), entry).toBeNull();
      expect(via(entry, 'https://notexample.com/'), entry).toBe('http://sec:1');
      expect(via(entry, 'https://example.com.evil.example/'), entry).toBe('http://sec:1');
    }
  });

  it('* exempts every host, alone or in a list; an empty NO_PROXY none', () => {
    expect(via('*', 'http://x.example/')).toBeNull();
    expect(via('a.example, *', 'https://x.example/')).toBeNull();
    expect(via('', 'https://x.example/')).toBe('http://sec:1');
    expect(via(' , ', 'https://x.example/')).toBe('http://sec:1');
  });

  it('reads bracketed IPv6 and IPv4 literals, any case, comma or space lists, a trailing-dot host', () => {
    expect(via('[::1]', 'http://[::1]:8080/')).toBeNull();
    expect(via('[::1]:8080', 'http://[::1]:8080/')).toBeNull();
    expect(via('[::1]:8080', 'http://[::1]:9090/')).toBe('http://plain:2');
    expect(via('localhost 127.0.0.1', 'http://127.0.0.1:3000/')).toBeNull();
    expect(via('127.0.0.1', 'http://127.0.0.10/')).toBe('http://plain:2');
    expect(via('News.Example', 'https://WWW.news.example./')).toBeNull();
    expect(via('a.example\tb.example', 'https://b.example/')).toBeNull();
  });

  it('never applies to the configured proxy', () => {
    expect(proxyFor(new URL('https://a.example/'), 'http://cfg:3128', { ...env, NO_PROXY: '*' })).toBe('http://cfg:3128');
  });
});

describe('proxyAgentPool', () => {
  it('refuses a proxy that is not an http(s) URL without echoing it (it may hold credentials)', () => {
    const agentsFor = proxyAgentPool();
    for (const bad of ['socks5://user:secret@s:1080', 'p:3128', 'not a url']) {
      const err = (() => {
        try {
          agentsFor(bad);
        } catch (e) {
          return e as NewscleanError;
        }
      })();
      expect(err?.code, bad).toBe('CONFIG_INVALID');
      expect(err?.message).not.toContain('secret');
    }
  });
  it('keeps one pair of agents per proxy URL', () => {
    const agentsFor = proxyAgentPool();
    expect(agentsFor('http://p:1')).toBe(agentsFor('http://p:1'));
    expect(agentsFor('http://p:1')).not.toBe(agentsFor('http://q:1'));
  });
});
