/**
 * The follow rules shipped in config/sources.example.yaml, checked against
 * URL shapes of each site (taken from the patterns' own comments): an article
 * is followed, the home page and section fronts are not. A site added to the
 * example file with follow.allow needs its examples here.
 */
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../../../src/config/sources.js';
import { compileFollowRules, shouldFollow } from '../../../../src/stages/fetch/discover/follow.js';

const sources = loadSources('config/sources.example.yaml');

const EXAMPLES: Record<string, { articles: string[]; refused: string[] }> = {
  aljazeera: {
    articles: ['https://www.aljazeera.net/news/2025/3/14/slug', 'https://www.aljazeera.net/ebusiness/2025/11/2/%D8%A7%D9%84%D9%86%D9%81%D8%B7'],
    refused: ['https://www.aljazeera.net/', 'https://www.aljazeera.net/news/', 'https://www.aljazeera.net/programs/2025/3/14/episode', 'https://www.aljazeera.net/video/2025/3/14/clip'],
  },
  'bbc-arabic': {
    articles: ['https://www.bbc.com/arabic/articles/c0abc123def4o', 'https://www.bbc.com/arabic/world-12345678', 'https://www.bbc.co.uk/arabic/articles/c0abc123def4o'],
    refused: ['https://www.bbc.com/arabic', 'https://www.bbc.com/arabic/topics/c1234', 'https://www.bbc.com/arabic/media-12345678'],
  },
  'france24-ar': {
    articles: ['https://www.france24.com/ar/%D8%A7%D9%84%D8%B4%D8%B1%D9%82-%D8%A7%D9%84%D8%A3%D9%88%D8%B3%D8%B7/20250314-slug'],
    refused: ['https://www.france24.com/ar/', 'https://www.france24.com/ar/%D8%A7%D9%84%D8%B4%D8%B1%D9%82-%D8%A7%D9%84%D8%A3%D9%88%D8%B3%D8%B7/', 'https://www.france24.com/ar/video/20250314-clip'],
  },
  'dw-arabic': {
    articles: ['https://www.dw.com/ar/slug/a-71234567'],
    refused: ['https://www.dw.com/ar/', 'https://www.dw.com/ar/%D8%A7%D9%84%D8%B1%D8%A6%D9%8A%D8%B3%D9%8A%D8%A9/s-9106', 'https://www.dw.com/ar/slug/av-71234567', 'https://www.dw.com/ar/slug/g-71234567'],
  },
  'rt-arabic': {
    articles: ['https://arabic.rt.com/world/1612345-slug/', 'https://arabic.rt.com/middle_east/1612345-slug/'],
    refused: ['https://arabic.rt.com/', 'https://arabic.rt.com/world/', 'https://arabic.rt.com/video/1612345-clip/'],
  },
  'cnn-arabic': {
    articles: ['https://arabic.cnn.com/middle-east/article/2025/03/14/slug'],
    refused: ['https://arabic.cnn.com/', 'https://arabic.cnn.com/middle-east', 'https://arabic.cnn.com/middle-east/video/2025/03/14/clip'],
  },
  hespress: {
    articles: ['https://www.hespress.com/slug-1512345.html'],
    refused: ['https://www.hespress.com/', 'https://www.hespress.com/politique', 'https://www.hespress.com/tag/slug-1512345.html'],
  },
  'independent-arabia': {
    articles: ['https://www.independentarabia.com/node/612345/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/slug'],
    refused: ['https://www.independentarabia.com/', 'https://www.independentarabia.com/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9'],
  },
  aawsat: {
    articles: ['https://aawsat.com/%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85-%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A/5012345-slug'],
    refused: ['https://aawsat.com/', 'https://aawsat.com/%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85-%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A', 'https://aawsat.com/multimedia/5012345-clip'],
  },
};

const withRules = sources.sites.filter((s) => s.follow.allow.length > 0 || s.follow.deny.length > 0);

describe('config/sources.example.yaml follow rules', () => {
  it('has examples for every site with follow rules', () => {
    expect(withRules.length).toBeGreaterThan(0);
    expect(withRules.map((s) => s.name).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  describe.each(withRules.map((s) => [s.name, s] as const))('%s', (name, site) => {
    const rules = compileFollowRules(site.follow, `site ${name}: follow`);
    it.each(EXAMPLES[name]!.articles)('follows the article %s', (url) => {
      expect(shouldFollow(url, 1, rules, site.hosts)).toBe(true);
    });
    it.each(EXAMPLES[name]!.refused)('refuses %s', (url) => {
      expect(shouldFollow(url, 1, rules, site.hosts)).toBe(false);
    });
  });
});
