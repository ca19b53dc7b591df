import { describe, expect, it, vi } from 'vitest';
import { NewscleanError } from '../../../src/shared/errors.js';
import {
  ROBOTS_MAX_BYTES,
  createRobotsCache,
  productToken,
  type RobotsFetch,
} from '../../../src/stages/fetch/robots.js';

const UA = 'newsclean/0.1.0 (+https://github.com/newsclean/newsclean)';

const ROBOTS = [
  'User-agent: *',
  'Disallow: /private/',
  'Crawl-delay: 2',
  '',
  'User-agent: newsclean',
  'Disallow: /drafts/',
  'Allow: /drafts/public',
  'Crawl-delay: 0.5',
  '',
  'User-agent: otherbot',
  'Disallow: /',
].join('\n');

/** A fetch stub serving one response for every origin, counting calls per URL. */
const serve = (status: number, body = '') => vi.fn<RobotsFetch>(async () => ({ status, body }));

const cache = (fetchRobots: RobotsFetch, userAgent = UA, maxCrawlDelayMs = 30_000) =>
  createRobotsCache({ userAgent, fetchRobots, maxCrawlDelayMs });

describe('productToken', () => {
  it.each([
    [UA, 'newsclean'],
    ['NewsClean/2', 'newsclean'],
    ['newsclean (+https://x)', 'newsclean'],
    ['', '*'],
  ])('%j → %s', (ua, token) => expect(productToken(ua)).toBe(token));
});

describe('robots rules (2xx)', () => {
  it('matches the group of our product token, ignoring the * group', async () => {
    const robots = cache(serve(200, ROBOTS));
    expect(await robots.check('https://news.example/drafts/x')).toMatchObject({ allowed: false, crawlDelayMs: 500 });
    expect(await robots.check('https://news.example/drafts/public/1')).toEqual({ allowed: true, crawlDelayMs: 500 });
    // /private/ is only disallowed for *, and our own group replaces it entirely.
    expect(await robots.check('https://news.example/private/x')).toEqual({ allowed: true, crawlDelayMs: 500 });
  });

  it('gives a reason naming the path, agent and line', async () => {
    const v = await cache(serve(200, ROBOTS)).check('https://news.example/drafts/x?a=1');
    expect(v.reason).toBe('robots.txt of https://news.example disallows /drafts/x?a=1 for newsclean (line 6)');
  });

  it('falls back to * for an agent without its own group', async () => {
    const robots = cache(serve(200, ROBOTS), 'somebot/1.0');
    expect(await robots.check('https://news.example/private/x')).toMatchObject({ allowed: false, crawlDelayMs: 2000 });
    expect(await robots.check('https://news.example/drafts/x')).toEqual({ allowed: true, crawlDelayMs: 2000 });
  });

  it('applies a group that disallows everything; its missing Crawl-delay is not taken from *', async () => {
    const v = await cache(serve(200, ROBOTS), 'OtherBot/3').check('https://news.example/');
    expect(v).toMatchObject({ allowed: false, crawlDelayMs: null });
  });

  it('allows everything for an empty robots.txt, with no crawl delay', async () => {
    expect(await cache(serve(200, '')).check('https://news.example/a')).toEqual({ allowed: true, crawlDelayMs: null });
  });

  it('caps the crawl delay at maxCrawlDelayMs', async () => {
    const robots = cache(serve(200, 'User-agent: *\nCrawl-delay: 120\n'), UA, 30_000);
    expect(await robots.check('https://news.example/')).toEqual({ allowed: true, crawlDelayMs: 30_000 });
  });

  it('ignores a non-numeric crawl delay', async () => {
    const robots = cache(serve(200, 'User-agent: *\nCrawl-delay: soon\n'));
    expect(await robots.check('https://news.example/')).toEqual({ allowed: true, crawlDelayMs: null });
  });

  it('matches percent-encoded non-ASCII paths', async () => {
    const robots = cache(serve(200, 'User-agent: *\nDisallow: /أخبار/\n'));
    expect((await robots.check('https://news.example/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1')).allowed).toBe(false);
    expect((await robots.check('https://news.example/other/1')).allowed).toBe(true);
  });
});

describe('robots.txt unavailable or unreachable', () => {
  it.each([404, 401, 403, 410, 429])('%i → allow everything', async (status) => {
    const v = await cache(serve(status, 'User-agent: *\nDisallow: /\n')).check('https://news.example/a');
    expect(v).toEqual({ allowed: true, crawlDelayMs: null });
  });

  it('an unfollowed 3xx → allow everything (redirect chain gave up = unavailable)', async () => {
    expect((await cache(serve(301)).check('https://news.example/a')).allowed).toBe(true);
  });

  it.each([500, 503])('%i → disallow everything for now (ROBOTS_UNAVAILABLE, not a final Disallow), reason names the status', async (status) => {
    const robots = cache(serve(status, 'User-agent: *\nAllow: /\n'));
    for (const path of ['/', '/a', '/robots.txt']) {
      const v = await robots.check(`https://news.example${path}`);
      expect(v.allowed).toBe(false);
      expect(v.code).toBe('ROBOTS_UNAVAILABLE');
      expect(v.reason).toContain(`HTTP ${status}`);
      expect(v.reason).toContain('https://news.example/robots.txt');
    }
  });

  it('a thrown fetch error → disallow everything, reason carries the error', async () => {
    const fetchRobots = vi.fn<RobotsFetch>(async () => {
      throw new Error('getaddrinfo ENOTFOUND news.example');
    });
    const robots = cache(fetchRobots);
    const v = await robots.check('https://news.example/a');
    expect(v).toMatchObject({ allowed: false, crawlDelayMs: null, code: 'SITE_UNREACHABLE' });
    expect(v.reason).toContain('ENOTFOUND');
    // Cached for the run: no second attempt.
    expect((await robots.check('https://news.example/b')).allowed).toBe(false);
    expect(fetchRobots).toHaveBeenCalledTimes(1);
  });
});

describe('robots cache', () => {
  it('shares one fetch among many concurrent checks of one origin', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fetchRobots = vi.fn<RobotsFetch>(async () => {
      await gate;
      return { status: 200, body: 'User-agent: *\nDisallow: /no\n' };
    });
    const robots = cache(fetchRobots);
    const checks = Array.from({ length: 20 }, (_, i) => robots.check(`https://news.example/${i % 2 ? 'no' : 'yes'}/${i}`));
    release();
    const verdicts = await Promise.all(checks);
    expect(fetchRobots).toHaveBeenCalledTimes(1);
    expect(fetchRobots).toHaveBeenCalledWith('https://news.example/robots.txt');
    expect(verdicts.map((v) => v.allowed)).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 0));
    expect(robots.fetchedCount()).toBe(1);
  });

  it('treats scheme, host and port as separate origins; default port and host case are not', async () => {
    const fetchRobots = serve(404);
    const robots = cache(fetchRobots);
    for (const url of [
      'https://news.example/a',
      'https://NEWS.example:443/b',
      'http://news.example/c',
      'http://news.example:80/d',
      'https://news.example:8443/e',
      'https://sub.news.example/f',
    ]) {
      await robots.check(url);
    }
    expect(fetchRobots.mock.calls.map(([u]) => u)).toEqual([
      'https://news.example/robots.txt',
      'http://news.example/robots.txt',
      'https://news.example:8443/robots.txt',
      'https://sub.news.example/robots.txt',
    ]);
    expect(robots.fetchedCount()).toBe(4);
  });

  it('applies each origin its own rules', async () => {
    const fetchRobots = vi.fn<RobotsFetch>(async (u) => ({
      status: 200,
      body: u.includes(':8080') ? 'User-agent: *\nDisallow: /\n' : '',
    }));
    const robots = cache(fetchRobots);
    expect((await robots.check('http://news.example:8080/a')).allowed).toBe(false);
    expect((await robots.check('http://news.example/a')).allowed).toBe(true);
  });

  it('rejects a URL that is not absolute http(s), without fetching', async () => {
    const fetchRobots = serve(200);
    const robots = cache(fetchRobots);
    for (const bad of ['/relative', 'ftp://news.example/a', 'not a url']) {
      await expect(robots.check(bad)).rejects.toMatchObject({ code: 'INVALID_URL' });
      await expect(robots.check(bad)).rejects.toBeInstanceOf(NewscleanError);
    }
    expect(fetchRobots).not.toHaveBeenCalled();
  });
});

describe('robots.txt larger than 500 KiB', () => {
  // Comment padding, then a rule just inside or just outside the limit.
  const padded = (ruleStartsAt: number, rule: string): string => {
    const head = 'User-agent: *\nDisallow: /early\n';
    const pad = `#${'x'.repeat(ruleStartsAt - head.length - 2)}\n`;
    return head + pad + rule;
  };

  it('parses rules within the first 500 KiB', async () => {
    const body = padded(ROBOTS_MAX_BYTES - 100, 'Disallow: /late\n');
    const robots = cache(serve(200, body));
    expect((await robots.check('https://news.example/early')).allowed).toBe(false);
    expect((await robots.check('https://news.example/late')).allowed).toBe(false);
  });

  it('ignores rules after the first 500 KiB', async () => {
    const body = padded(ROBOTS_MAX_BYTES + 10, 'Disallow: /late\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(ROBOTS_MAX_BYTES);
    const robots = cache(serve(200, body));
    expect((await robots.check('https://news.example/early')).allowed).toBe(false);
    expect((await robots.check('https://news.example/late')).allowed).toBe(true);
  });

  it('counts bytes, not characters', async () => {
    // 200 000 Arabic letters = 400 000 bytes: the rule after them sits past 500 KiB in bytes
    // although the string is far shorter than 500 K characters.
    const body = `User-agent: *\n#${'ب'.repeat(200_000)}\n#${'x'.repeat(150_000)}\nDisallow: /late\n`;
    expect(body.length).toBeLessThan(ROBOTS_MAX_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(ROBOTS_MAX_BYTES);
    expect((await cache(serve(200, body)).check('https://news.example/late')).allowed).toBe(true);
  });
});
