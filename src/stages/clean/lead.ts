/**
 * The standfirst (lead, intro, dek, chapô, bajada): the paragraph under the
 * headline that many CMSs put in the article's <header> or in a block of its
 * own before the body container. It is part of the story, but it sits outside
 * the element that holds the body, so it is found here and put back in front.
 */
import { type Element, elementsInOrder, isInside } from './dom.js';
import type { CleanRules } from './rules.js';
import type { StatsMap } from './stats.js';

export interface LeadCandidate {
  el: Element;
  /** Closest <article> ancestor when the candidate was seen (before pruning detached it). */
  article: Element | null;
  order: number;
}

const MIN_LEAD_CHARS = 40;
const MAX_LEAD_CHARS = 1200;
const MAX_LEAD_LINK_DENSITY = 0.3;

const closestArticle = (el: Element | null): Element | null => {
  for (let n: Element | null = el; n; n = n.parent as Element | null) if (n.type === 'tag' && n.name === 'article') return n;
  return null;
};

/** Lead-like elements: p in an article's header, or elements whose class/id names a lead. */
function isLeadLike(el: Element, rules: CleanRules): boolean {
  if (rules.leadPattern.test(`${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`)) return true;
  if (el.name !== 'p') return false;
  for (let n = el.parent as Element | null; n && n.type === 'tag'; n = n.parent as Element | null) {
    if (n.name === 'header') return closestArticle(n) !== null;
    if (n.name === 'article') return false;
  }
  return false;
}

/** Record lead candidates and the document order of every element; call before pruning. */
export function findLeadCandidates(body: Element, rules: CleanRules, stats: StatsMap): { candidates: LeadCandidate[]; order: Map<Element, number> } {
  const order = new Map<Element, number>();
  const candidates: LeadCandidate[] = [];
  let i = 0;
  for (const el of elementsInOrder(body)) {
    order.set(el, i++);
    if (!isLeadLike(el, rules)) continue;
    const s = stats.get(el);
    if (!s || s.text < MIN_LEAD_CHARS || s.text > MAX_LEAD_CHARS || s.link > s.text * MAX_LEAD_LINK_DENSITY) continue;
    if (candidates.length && isInside(el, candidates[candidates.length - 1]!.el)) continue;
    candidates.push({ el, article: closestArticle(el), order: order.get(el)! });
  }
  return { candidates, order };
}

/** The candidates that belong to the same <article> as the body root and come before it. */
export function leadsFor(root: Element, found: { candidates: LeadCandidate[]; order: Map<Element, number> }): Element[] {
  const article = closestArticle(root);
  const rootOrder = found.order.get(root);
  if (!article || rootOrder === undefined) return [];
  return found.candidates.filter((c) => c.article === article && c.order < rootOrder && !isInside(root, c.el)).map((c) => c.el);
}
