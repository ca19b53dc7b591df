/**
 * Finding the article body by selectors: schema.org microdata, CMS class
 * names, then broad containers (rules data, tried in order). The text-density
 * finder (density.ts) is the independent second opinion.
 */
import type { CheerioAPI } from 'cheerio';
import type { Element } from './dom.js';
import { type StatsMap, linkDensity } from './stats.js';

/** Non-link text a selector match needs before we trust it. */
export const MIN_BODY_CHARS = 200;

const contentChars = (stats: StatsMap, el: Element) => {
  const s = stats.get(el);
  return s ? s.text - s.link : 0;
};

/** The first selector (in rule order) whose best match has enough non-link text. */
export function selectBySelectors(
  $: CheerioAPI,
  selectors: string[],
  stats: StatsMap,
): { el: Element; selector: string } | null {
  for (const selector of selectors) {
    let best: Element | null = null;
    let bestChars = 0;
    let matches: Element[];
    try {
      matches = $(selector).toArray() as Element[];
    } catch {
      continue; // an invalid selector in a site file must not stop extraction
    }
    for (const el of matches) {
      const chars = contentChars(stats, el);
      if (chars > bestChars && linkDensity(stats.get(el)) < 0.5) {
        best = el;
        bestChars = chars;
      }
    }
    if (best && bestChars >= MIN_BODY_CHARS) return { el: best, selector };
  }
  return null;
}
