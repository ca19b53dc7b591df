/**
 * Finding the article body by selectors: schema.org microdata, CMS class
 * names, then broad containers (rules data, tried in order). The text-density
 * finder (density.ts) is the independent second opinion.
 */
import { type Element, elementsInOrder } from './dom.js';
import type { Matcher } from './rules.js';
import { type StatsMap, contentChars, linkDensity } from './stats.js';

/** Non-link text a selector match needs before we trust it. */
export const MIN_BODY_CHARS = 200;

/**
 * The first selector (in rule order) whose best match has enough non-link
 * text and few links. Selectors are compiled once (rules.ts); this is one
 * pass over the tree.
 */
export function selectBySelectors(root: Element, matchers: Matcher[], stats: StatsMap, order: readonly Element[] = elementsInOrder(root)): { el: Element; selector: string } | null {
  const best = new Array<{ el: Element; chars: number } | null>(matchers.length).fill(null);
  for (const el of order) {
    const chars = contentChars(stats, el);
    if (chars < MIN_BODY_CHARS || linkDensity(stats.get(el)) >= 0.5) continue;
    for (let i = 0; i < matchers.length; i++) {
      if ((best[i]?.chars ?? 0) < chars && matchers[i]!.test(el)) best[i] = { el, chars };
    }
  }
  const i = best.findIndex((b) => b !== null);
  return i < 0 ? null : { el: best[i]!.el, selector: matchers[i]!.selector };
}
