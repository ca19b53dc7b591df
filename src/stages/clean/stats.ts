/**
 * Per-element text statistics, computed bottom-up in one linear pass:
 * visible text length and the part of it inside links.
 */
import { type AnyNode, type Element, elementsInOrder, isCollapsibleSpace, isText } from './dom.js';

export interface NodeStats {
  text: number;
  link: number;
  /** Commas (Latin, Arabic, CJK) in the text: a cheap sign of prose. */
  commas: number;
}

export type StatsMap = Map<Element, NodeStats>;

/** Comma code points: Latin, Arabic, CJK ideographic, fullwidth. */
const isComma = (c: number): boolean => c === 0x2c || c === 0x60c || c === 0x3001 || c === 0xff0c;

/**
 * Add a text node's visible length (as dom.visibleLength: whitespace runs
 * count once, leading ones not at all) and its commas to `s`, in one scan.
 */
function addText(s: NodeStats, data: string): void {
  let n = 0;
  let commas = 0;
  let inSpace = true;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    // Most characters are above the spaces: two comparisons decide, and only a comma or a non-Latin one is tested further.
    const space = c <= 32 || c === 160 ? isCollapsibleSpace(c) : false;
    if (!space) {
      n++;
      if (c === 0x2c || (c >= 0x60c && isComma(c))) commas++;
    } else if (!inSpace) n++;
    inSpace = space;
  }
  s.text += n;
  s.commas += commas;
}

/** `order`: elementsInOrder(root), when the caller already has it. */
export function computeStats(root: AnyNode, order: readonly Element[] = elementsInOrder(root)): StatsMap {
  const stats: StatsMap = new Map();
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    const sum: NodeStats = { text: 0, link: 0, commas: 0 };
    for (const child of el.children) {
      if (isText(child)) addText(sum, child.data);
      else {
        const s = stats.get(child as Element);
        if (s) {
          sum.text += s.text;
          sum.link += s.link;
          sum.commas += s.commas;
        }
      }
    }
    if (el.name === 'a') sum.link = sum.text;
    stats.set(el, sum);
  }
  return stats;
}

/**
 * Take elements about to be removed out of their ancestors' figures, up to and
 * including `root`, so `stats` reads as computeStats on the pruned tree would
 * (the sums are additive). `removed` must not nest, and must still be attached.
 */
export function subtractRemoved(stats: StatsMap, removed: Element[], root: Element): void {
  for (const el of removed) {
    const s = stats.get(el);
    if (!s || (s.text === 0 && s.commas === 0)) continue;
    // Inside an <a>, all of an element's text counts as link text, for the <a> and above it.
    let linkPart = s.link;
    for (let p = el.parent as Element | null; p; p = p.parent as Element | null) {
      const a = stats.get(p);
      if (!a) break;
      if (p.name === 'a') linkPart = s.text;
      a.text -= s.text;
      a.link -= linkPart;
      a.commas -= s.commas;
      if (p === root) break;
    }
  }
}

/** Text outside links: the part of an element that can be prose. */
export const contentChars = (stats: StatsMap, el: Element): number => {
  const s = stats.get(el);
  return s ? s.text - s.link : 0;
};

export const linkDensity = (s: NodeStats | undefined): number => (s && s.text > 0 ? s.link / s.text : 0);
