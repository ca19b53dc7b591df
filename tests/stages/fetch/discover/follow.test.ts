import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../../src/shared/errors.js';
import { compileFollowRules, isSince, resolveLinks, shouldFollow } from '../../../../src/stages/fetch/discover/follow.js';

const HOSTS = ['akhbar-alwadi.example'];
const rules = compileFollowRules({ allow: ['/\\d{4}/\\d{2}/', '^/ar/أخبار/'], deny: ['/tag/', '[?&]replytocom='], maxDepth: 2 }, 'sites.akhbar');
const open = compileFollowRules({ allow: [], deny: [], maxDepth: 3 }, 'sites.open');

describe('compileFollowRules', () => {
  it('compiles regex sources as written in YAML', () => {
    expect(rules.allow.map((r) => r.source)).toEqual(['\\/\\d{4}\\/\\d{2}\\/', '^\\/ar\\/أخبار\\/']);
    expect(rules.maxDepth).toBe(2);
  });

  it.each([
    ['allow', { allow: ['/news/(unclosed'], deny: [], maxDepth: 1 }, 'sites.x.allow[0]'],
    ['deny', { allow: [], deny: ['ok', '*bad'], maxDepth: 1 }, 'sites.x.deny[1]'],
  ])('a bad %s pattern throws CONFIG_INVALID naming it', (_, spec, where) => {
    try {
      compileFollowRules(spec, 'sites.x');
      throw new Error('expected CONFIG_INVALID');
    } catch (err) {
      expect(err).toBeInstanceOf(NewscleanError);
      expect((err as NewscleanError).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toContain(where);
      expect((err as Error).message).toContain(JSON.stringify([...spec.allow, ...spec.deny].at(-1)));
    }
  });

  it.each([[-1], [1.5], [Number.NaN]])('maxDepth %s is CONFIG_INVALID', (maxDepth) => {
    expect(() => compileFollowRules({ allow: [], deny: [], maxDepth }, 'sites.x')).toThrow(/maxDepth/);
  });

  it('allows an unlimited depth', () => {
    expect(compileFollowRules({ allow: [], deny: [], maxDepth: Infinity }, 'x').maxDepth).toBe(Infinity);
  });
});

describe('shouldFollow', () => {
  it.each([
    ['https://akhbar-alwadi.example/ar/2024/10/story', 1, true],
    ['http://akhbar-alwadi.example/ar/2024/10/story', 1, true],
    ['https://www.akhbar-alwadi.example/ar/2024/10/story', 1, true],
    ['https://AKHBAR-ALWADI.example./ar/2024/10/story', 1, true],
    ['https://akhbar-alwadi.example:8443/ar/2024/10/story', 1, true],
    ['https://akhbar-alwadi.example/ar/أخبار/محلي/قصة', 1, true],
    ['https://akhbar-alwadi.example/ar/2024/10/story', 2, true],
    ['https://akhbar-alwadi.example/ar/2024/10/story', 3, false],
    ['https://akhbar-alwadi.example/ar/about', 1, false],
    ['https://akhbar-alwadi.example/ar/tag/2024/10/', 1, false],
    ['https://akhbar-alwadi.example/ar/2024/10/story?replytocom=5', 1, false],
    ['https://akhbar-alwadi.example/ar/2024/10/story?page=2', 1, true],
    ['https://m.akhbar-alwadi.example/ar/2024/10/story', 1, false],
    ['https://akhbar-alwadi.example.evil.example/ar/2024/10/story', 1, false],
    ['https://other.example/ar/2024/10/story', 1, false],
    ['ftp://akhbar-alwadi.example/ar/2024/10/story', 1, false],
    ['mailto:desk@akhbar-alwadi.example', 1, false],
    ['/ar/2024/10/story', 1, false],
    ['not a url', 1, false],
  ])('%s at depth %i → %s', (url, depth, expected) => {
    expect(shouldFollow(url, depth, rules, HOSTS)).toBe(expected);
  });

  it('tests the query too: allow can match it', () => {
    const byQuery = compileFollowRules({ allow: ['[?&]id=\\d+'], deny: [], maxDepth: 1 }, 'x');
    expect(shouldFollow('https://akhbar-alwadi.example/news.php?id=42', 0, byQuery, HOSTS)).toBe(true);
    expect(shouldFollow('https://akhbar-alwadi.example/news.php', 0, byQuery, HOSTS)).toBe(false);
  });

  it('searches patterns in the absolute URL, as documented: ^https:// patterns work', () => {
    const absolute = compileFollowRules({ allow: ['^https://akhbar-alwadi\\.example/ar/\\d{4}/'], deny: ['^https?://[^/]+/ar/\\d{4}/\\d{2}/live-'], maxDepth: 1 }, 'x');
    expect(shouldFollow('https://akhbar-alwadi.example/ar/2024/10/story', 1, absolute, HOSTS)).toBe(true);
    expect(shouldFollow('https://akhbar-alwadi.example/ar/2024/10/live-blog', 1, absolute, HOSTS)).toBe(false);
    expect(shouldFollow('https://akhbar-alwadi.example/ar/', 1, absolute, HOSTS)).toBe(false);
    // the scheme is part of the URL: an http link does not match an https pattern
    expect(shouldFollow('http://akhbar-alwadi.example/ar/2024/10/story', 1, absolute, HOSTS)).toBe(false);
  });

  it('matches ^https:// patterns written in Arabic against the decoded URL, and never the fragment', () => {
    const arabic = compileFollowRules({ allow: ['^https://akhbar-alwadi\\.example/ar/أخبار/[^/#]+$'], deny: [], maxDepth: 1 }, 'x');
    expect(shouldFollow('https://akhbar-alwadi.example/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/story', 1, arabic, HOSTS)).toBe(true);
    expect(shouldFollow('https://akhbar-alwadi.example/ar/أخبار/story#comments', 1, arabic, HOSTS)).toBe(true);
  });

  it.each([
    'photo.JPG', 'pic.webp', 'clip.mp4', 'podcast.mp3', 'report.pdf', 'archive.zip', 'style.css', 'app.js',
    'font.woff2', 'sitemap.xml', 'feed.rss', 'atom.atom', 'data.json', 'list.csv',
  ])('does not follow a non-page: %s', (file) => {
    expect(shouldFollow(`https://akhbar-alwadi.example/ar/2024/10/${file}`, 1, open, HOSTS)).toBe(false);
  });

  it.each(['story.html', 'story.htm', 'story.php', 'story.aspx', 'story', 'v1.2/story', 'story/'])('follows a page: %s', (path) => {
    expect(shouldFollow(`https://akhbar-alwadi.example/ar/2024/10/${path}`, 1, open, HOSTS)).toBe(true);
  });

  it('treats www. as the same site on either side and reads hosts given as URLs, host:port or IDN', () => {
    expect(shouldFollow('https://akhbar-alwadi.example/a', 0, open, ['www.akhbar-alwadi.example'])).toBe(true);
    expect(shouldFollow('https://akhbar-alwadi.example/a', 0, open, ['https://akhbar-alwadi.example/ar/'])).toBe(true);
    expect(shouldFollow('https://akhbar-alwadi.example/a', 0, open, ['akhbar-alwadi.example:8080'])).toBe(true);
    expect(shouldFollow('https://xn--mgbh0fb.example/a', 0, open, ['مثال.example'])).toBe(true);
    expect(shouldFollow('https://akhbar-alwadi.example/a', 0, open, [])).toBe(false);
  });

  it('gives the same answer when called repeatedly (no stateful regex)', () => {
    const url = 'https://akhbar-alwadi.example/ar/2024/10/story';
    expect([1, 2, 3].map(() => shouldFollow(url, 1, rules, HOSTS))).toEqual([true, true, true]);
  });
});

describe('resolveLinks', () => {
  it('resolves, drops fragments and non-http(s) links, de-duplicates in order', () => {
    const hrefs = [
      '/ar/2024/10/a',
      'b#comments',
      '../up',
      'https://other.example/x#top',
      '/ar/2024/10/a#respond',
      '  /ar/2024/10/c  ',
      '//cdn.example/d',
      '?page=2',
      '#top',
      '',
      'javascript:void(0)',
      'mailto:desk@akhbar-alwadi.example',
      'tel:+123',
      'http://',
      '/ar/أخبار',
    ];
    expect(resolveLinks(hrefs, 'https://akhbar-alwadi.example/ar/2024/10/page')).toEqual([
      'https://akhbar-alwadi.example/ar/2024/10/a',
      'https://akhbar-alwadi.example/ar/2024/10/b',
      'https://akhbar-alwadi.example/ar/2024/up',
      'https://other.example/x',
      'https://akhbar-alwadi.example/ar/2024/10/c',
      'https://cdn.example/d',
      'https://akhbar-alwadi.example/ar/2024/10/page?page=2',
      'https://akhbar-alwadi.example/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1',
    ]);
  });

  it('still resolves absolute links when the base URL is unusable', () => {
    expect(resolveLinks(['https://a.example/x', '/y'], 'not a url')).toEqual(['https://a.example/x']);
  });
});

describe('isSince', () => {
  const since = new Date('2024-10-16T00:00:00Z');

  it.each([
    ['no since: everything', '2000-01-01', null, true],
    ['no date: kept', null, since, true],
    ['unparseable date: kept', 'yesterday', since, true],
    ['after', '2024-10-16T09:00:00Z', since, true],
    ['exactly at', '2024-10-16T00:00:00Z', since, true],
    ['before', '2024-10-15T23:59:59Z', since, false],
    ['offset read exactly: 02:00+03:00 is 23:00Z the day before', '2024-10-16T02:00:00+03:00', since, false],
    ['offset read exactly: 20:00-05:00 is 01:00Z the next day', '2024-10-15T20:00:00-05:00', since, true],
    ['RFC 822 input', 'Wed, 16 Oct 2024 08:00:00 +0300', since, true],
    ['date only, same day', '2024-10-16', since, true],
    ['date only, the day before: may still reach since in UTC−12', '2024-10-15', since, true],
    ['date only, two days before', '2024-10-14', since, false],
    ['no offset: could be in UTC−12', '2024-10-15T13:00:00', since, true],
    ['no offset: too early in any zone', '2024-10-15T11:00:00', since, false],
  ])('%s', (_, published, sinceValue, expected) => {
    expect(isSince(published, sinceValue)).toBe(expected);
  });

  it('keeps everything when since is an invalid Date', () => {
    expect(isSince('2000-01-01', new Date('nope'))).toBe(true);
  });
});
