/**
 * Text-density body finder: pick the element that maximizes
 *   prose(E) − JUNK_WEIGHT · (text(E) − prose(E))
 * where prose is text in paragraph-like runs with few links. Unlike scoring
 * parents of paragraphs, this climbs over any wrapper depth, so a body split
 * into many separately wrapped paragraphs is found whole.
 */
import { type Element, elementsInOrder, isText, visibleLength } from './dom.js';
import { classifyHint } from './hints.js';
import type { CleanRules } from './rules.js';
import type { StatsMap } from './stats.js';

const INLINE_TAGS = new Set(['a', 'span', 'b', 'strong', 'em', 'i', 'u', 'font', 'small', 'sup', 'sub', 'mark', 'abbr', 'cite', 'q', 'time', 'code', 'bdi', 'bdo', 's', 'del', 'ins']);
const PROSE_TAGS = new Set(['p', 'pre', 'dd']);
const MIN_RUN = 30;
const MAX_RUN_LINK_DENSITY = 0.3;
const JUNK_WEIGHT = 0.5;
const HINT_BONUS: Record<string, number> = { 'strong-positive': 1.15, positive: 1.05, neutral: 1, negative: 0.8, 'strong-negative': 0.6 };

/** Text (and link text) of an element's own inline content, ignoring block children. */
function inlineRun(el: Element, stats: StatsMap): { text: number; link: number } {
  let text = 0;
  let link = 0;
  for (const c of el.children) {
    if (isText(c)) text += visibleLength(c.data);
    else if (c.type === 'tag' && INLINE_TAGS.has((c as Element).name)) {
      const s = stats.get(c as Element);
      if (s) {
        text += s.text;
        link += s.link;
      }
    }
  }
  return { text, link };
}

export function selectByDensity(root: Element, rules: CleanRules, stats: StatsMap): Element {
  const order = elementsInOrder(root);
  const prose = new Map<Element, number>();
  let best = root;
  let bestScore = -Infinity;
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    const run = PROSE_TAGS.has(el.name) ? (stats.get(el) ?? { text: 0, link: 0 }) : INLINE_TAGS.has(el.name) ? { text: 0, link: 0 } : inlineRun(el, stats);
    let own = run.text >= MIN_RUN && run.link <= run.text * MAX_RUN_LINK_DENSITY ? run.text - run.link : 0;
    if (!PROSE_TAGS.has(el.name)) for (const c of el.children) if (c.type === 'tag') own += prose.get(c as Element) ?? 0;
    prose.set(el, own);
    const total = stats.get(el)?.text ?? 0;
    const base = own - JUNK_WEIGHT * (total - own);
    // Every hint bonus is positive: a score at or below zero cannot beat a best of zero or more, so most elements need no hint.
    if (base <= 0 && bestScore >= 0) continue;
    const score = base * HINT_BONUS[classifyHint(el, rules)]!;
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}
