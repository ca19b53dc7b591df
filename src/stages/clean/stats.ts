/**
 * Per-element text statistics, computed bottom-up in one linear pass:
 * visible text length and the part of it inside links.
 */
import { type AnyNode, type Element, elementsInOrder, isText, visibleLength } from './dom.js';

export interface NodeStats {
  text: number;
  link: number;
  /** Commas (Latin, Arabic, CJK) in the text: a cheap sign of prose. */
  commas: number;
}

const COMMAS = /[,،、，]/g;

export type StatsMap = Map<Element, NodeStats>;

export function computeStats(root: AnyNode): StatsMap {
  const order = elementsInOrder(root);
  const stats: StatsMap = new Map();
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    let text = 0;
    let link = 0;
    let commas = 0;
    for (const child of el.children) {
      if (isText(child)) {
        text += visibleLength(child.data);
        commas += child.data.match(COMMAS)?.length ?? 0;
      } else {
        const s = stats.get(child as Element);
        if (s) {
          text += s.text;
          link += s.link;
          commas += s.commas;
        }
      }
    }
    if (el.name === 'a') link = text;
    stats.set(el, { text, link, commas });
  }
  return stats;
}

/** Text outside links: the part of an element that can be prose. */
export const contentChars = (stats: StatsMap, el: Element): number => {
  const s = stats.get(el);
  return s ? s.text - s.link : 0;
};

export const linkDensity = (s: NodeStats | undefined): number => (s && s.text > 0 ? s.link / s.text : 0);
