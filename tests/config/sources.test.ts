import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from '../../src/config/schema.js';
import { loadSources, parseSources, selectSites } from '../../src/config/sources.js';
import { NewscleanError } from '../../src/shared/errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => `${root}tests/fixtures/sources/${name}`;
const FILE = 'config/sources.yaml';

/** The error a call throws, as code + message (fails the test when nothing is thrown). */
function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NewscleanError);
    const e = err as NewscleanError;
    expect(e.message).not.toContain('\n');
    return { code: e.code, message: e.message };
  }
  throw new Error('expected an error');
}

/** The message for a sources text, parsed as FILE. */
const messageFor = (text: string) => {
  const { code, message } = errorOf(() => parseSources(text, FILE));
  expect(code).toBe('CONFIG_INVALID');
  return message;
};

/** One site with the given extra YAML lines (indented under the list item). */
const site = (...lines: string[]) => ['sites:', '  - name: a', ...lines.map((l) => `    ${l}`)].join('\n');

describe('the example sources file', () => {
  it('loads, with polite defaults and several sites', () => {
    const sources = loadSources(`${root}config/sources.example.yaml`);
    expect(sources.sites.length).toBeGreaterThanOrEqual(6);
    expect((sources.fetchDefaults.perHost as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1000);
    for (const s of sources.sites) {
      expect(s.feeds.length + s.sitemaps.length + s.startUrls.length).toBeGreaterThan(0);
      expect(s.hosts.length).toBeGreaterThan(0);
    }
    // Its defaults are valid fetch settings.
    expect(() => ConfigSchema.shape.fetch.parse(sources.fetchDefaults)).not.toThrow();
  });
});

describe('loadSources: snake_case to camelCase', () => {
  it('maps every key of a full file', () => {
    const sources = loadSources(fixture('full.yaml'));
    expect(sources.path).toBe(fixture('full.yaml'));
    expect(sources.fetchDefaults).toEqual({
      userAgent: 'testbot/1.0 (+https://example.org/contact)',
      concurrency: 4,
      perHost: { concurrency: 1, delayMs: 2500 },
      allowPrivateNetworks: true,
      timeouts: { connectMs: 1000, responseMs: 2000, totalMs: 3000 },
      retries: { limit: 1, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 30 },
      maxRedirects: 5,
      maxBytes: 1048576,
      maxDiscoveryBytes: 4194304,
      proxy: 'http://user:pass@proxy.local:3128',
      respectRobots: false,
      maxCrawlDelayMs: 5000,
    });
    expect(sources.sites[0]).toEqual({
      name: 'full_site-1',
      enabled: false,
      feeds: ['https://news.example.com/rss.xml', 'https://news.example.com/atom.xml'],
      sitemaps: ['https://cdn.example.com/sitemap-news.xml.gz'],
      startUrls: ['http://news.example.com/'],
      follow: { allow: ['/\\d{4}/\\d{2}/', '^https://news\\.example\\.com/story/'], deny: ['/video/'], maxDepth: 3 },
      maxArticles: 50,
      hosts: ['news.example.com', 'cdn.example.com', 'm.example.com'],
      perHost: { delayMs: 0 },
      userAgent: 'special/2.0',
      schedule: '0 6 * * *',
    });
  });

  it('fills the per-site defaults', () => {
    expect(loadSources(fixture('full.yaml')).sites[1]).toEqual({
      name: 'minimal',
      enabled: true,
      feeds: ['https://minimal.example.org/feed'],
      sitemaps: [],
      startUrls: [],
      follow: { allow: [], deny: [], maxDepth: 1 },
      maxArticles: null,
      hosts: ['minimal.example.org'],
      perHost: null,
      userAgent: null,
      schedule: '*/30 * * * *', // defaults.schedule
    });
  });

  it('schedule: a bad cron expression names the key; without any, sites are not scheduled', () => {
    expect(messageFor(site('feeds: [https://a.example/]', 'schedule: "61 * * * *"'))).toMatch(
      /^config\/sources\.yaml: sites\.0\.schedule: expected a cron expression like "\*\/30 \* \* \* \*", got "61 \* \* \* \*" \(.*minute.*\)$/,
    );
    expect(messageFor('defaults:\n  schedule: every tuesday\n' + site('feeds: [https://a.example/]'))).toMatch(/^config\/sources\.yaml: defaults\.schedule: expected a cron expression/);
    expect(parseSources(site('feeds: [https://a.example/]'), 'x.yaml').sites[0]!.schedule).toBeNull();
  });

  it('puts only the given keys in fetchDefaults, and they layer over the schema defaults', () => {
    const sources = loadSources(fixture('partial-defaults.yaml'));
    expect(sources.fetchDefaults).toEqual({ perHost: { delayMs: 1200 }, respectRobots: true });
    expect(sources.sites[0]!.feeds).toEqual([]);
    const fetch = ConfigSchema.shape.fetch.parse(sources.fetchDefaults);
    expect(fetch.perHost).toEqual({ concurrency: 2, delayMs: 1200 });
  });

  it('has no defaults at all when the file has no defaults section', () => {
    expect(parseSources(site('feeds: [https://a.example/]'), FILE).fetchDefaults).toEqual({});
  });

  it('covers every key of the fetch config section', () => {
    // When schema.ts gains a fetch key, the sources file should learn it too.
    const given = loadSources(fixture('full.yaml')).fetchDefaults;
    expect(Object.keys(given).sort()).toEqual(Object.keys(ConfigSchema.shape.fetch.unwrap().shape).sort());
  });
});

describe('loadSources / parseSources: errors are one line, naming the file and the key', () => {
  it('a missing file', () => {
    const { code, message } = errorOf(() => loadSources('nowhere/sources.yaml'));
    expect(code).toBe('CONFIG_INVALID');
    expect(message).toBe('nowhere/sources.yaml: file not found (copy config/sources.example.yaml to start)');
  });

  it('a YAML syntax error names the line', () => {
    const path = fixture('syntax-error.yaml');
    const { code, message } = errorOf(() => loadSources(path));
    expect(code).toBe('CONFIG_INVALID');
    expect(message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: line \\d+, column \\d+: \\S`));
    expect(messageFor('sites:\n  - name: a\n  name: b\n')).toMatch(/^config\/sources\.yaml: line 3, column \d+: All mapping items must start at the same column$/);
  });

  it('a duplicate YAML key', () => {
    expect(messageFor('sites: []\nsites: []\n')).toBe('config/sources.yaml: line 2, column 1: Map keys must be unique');
  });

  it('a bad URL', () => {
    expect(messageFor(site('feeds: [https://a.example/rss, "ftp://x"]'))).toBe(
      'config/sources.yaml: sites.0.feeds.1: expected an http(s) URL, got "ftp://x"',
    );
    expect(messageFor(site('start_urls: [/relative/path]'))).toBe(
      'config/sources.yaml: sites.0.start_urls.0: expected an http(s) URL, got "/relative/path"',
    );
    expect(messageFor(site('sitemaps: [42]'))).toBe('config/sources.yaml: sites.0.sitemaps.0: expected an http(s) URL, got 42');
  });

  it('a list that is not a list', () => {
    expect(messageFor(site('feeds: https://a.example/rss'))).toBe(
      'config/sources.yaml: sites.0.feeds: expected a list of http(s) URLs, got "https://a.example/rss"',
    );
  });

  it('a bad integer', () => {
    const text = 'defaults:\n  per_host: { delay_ms: -5 }\n' + site('feeds: [https://a.example/]');
    expect(messageFor(text)).toBe('config/sources.yaml: defaults.per_host.delay_ms: expected a non-negative integer');
    expect(messageFor(site('feeds: [https://a.example/]', 'max_articles: 0'))).toBe(
      'config/sources.yaml: sites.0.max_articles: expected a positive integer',
    );
    expect(messageFor('defaults:\n  concurrency: "8"\n' + site('feeds: [https://a.example/]'))).toBe(
      'config/sources.yaml: defaults.concurrency: expected a positive integer',
    );
  });

  it('a bad boolean', () => {
    expect(messageFor(site('feeds: [https://a.example/]', 'enabled: "no"'))).toBe(
      'config/sources.yaml: sites.0.enabled: expected true or false, got "no"',
    );
  });

  it('a bad site name', () => {
    expect(messageFor('sites:\n  - name: Al Jazeera\n    feeds: [https://a.example/]')).toBe(
      'config/sources.yaml: sites.0.name: expected a site name of a-z, 0-9, "_" and "-", got "Al Jazeera"',
    );
    expect(messageFor('sites:\n  - feeds: [https://a.example/]')).toBe(
      'config/sources.yaml: sites.0.name: expected a site name of a-z, 0-9, "_" and "-", got nothing',
    );
  });

  it('duplicate site names', () => {
    const text = ['sites:', '  - { name: x, feeds: [https://a.example/] }', '  - { name: y, feeds: [https://b.example/] }', '  - { name: x, feeds: [https://c.example/] }'].join('\n');
    expect(messageFor(text)).toBe('config/sources.yaml: sites.2.name: duplicate site name "x"');
  });

  it('a follow pattern that does not compile', () => {
    expect(messageFor(site('start_urls: [https://a.example/]', 'follow:', "  deny: ['/ok/', '/(unclosed/']"))).toBe(
      'config/sources.yaml: sites.0.follow.deny.1: expected a JavaScript regular expression, got "/(unclosed/" (Unterminated group)',
    );
  });

  it('an unknown key, with the known ones', () => {
    const { message } = errorOf(() => loadSources(fixture('unknown-key.yaml')));
    expect(message).toBe(
      `${fixture('unknown-key.yaml')}: sites.0.start_url: unknown key; expected one of: ` +
        'name, enabled, feeds, sitemaps, start_urls, follow, max_articles, hosts, per_host, user_agent, schedule',
    );
    expect(messageFor('defaults:\n  per_host: { delay: 5 }\n' + site('feeds: [https://a.example/]'))).toBe(
      'config/sources.yaml: defaults.per_host.delay: unknown key; expected one of: concurrency, delay_ms',
    );
    expect(messageFor('site:\n  - name: a\n')).toBe('config/sources.yaml: site: unknown key; expected one of: defaults, sites');
  });

  it('no sites', () => {
    expect(messageFor('sites: []\n')).toBe('config/sources.yaml: sites: at least one site is required');
    expect(messageFor('sites:\n')).toBe('config/sources.yaml: sites: at least one site is required');
    expect(messageFor('defaults: {}\n')).toBe('config/sources.yaml: sites: at least one site is required');
    expect(messageFor('')).toBe('config/sources.yaml: sites: at least one site is required');
  });

  it('a site with nothing to start from', () => {
    expect(messageFor(site('feeds: []'))).toBe('config/sources.yaml: sites.0: expected at least one of feeds, sitemaps, start_urls');
  });

  it('a bad host name', () => {
    expect(messageFor(site('feeds: [https://a.example/]', 'hosts: ["https://m.a.example/"]'))).toBe(
      'config/sources.yaml: sites.0.hosts.0: expected a host name like "www.example.com", got "https://m.a.example/"',
    );
  });

  it('a file that is not a mapping', () => {
    expect(messageFor('- a\n- b\n')).toBe('config/sources.yaml: (root): expected a mapping, got ["a","b"]');
  });
});

describe('selectSites', () => {
  const sources = loadSources(fixture('full.yaml'));

  it('takes every enabled site when no names are given', () => {
    expect(selectSites(sources, []).map((s) => s.name)).toEqual(['minimal']);
  });

  it('takes the named sites, disabled ones included', () => {
    expect(selectSites(sources, ['minimal', 'full_site-1']).map((s) => s.name)).toEqual(['minimal', 'full_site-1']);
  });

  it('rejects an unknown name as a usage error', () => {
    const { code, message } = errorOf(() => selectSites(sources, ['minimal', 'nope']));
    expect(code).toBe('USAGE');
    expect(message).toBe('unknown site "nope"; known: full_site-1, minimal');
  });
});
