/**
 * The standfirst (lead, intro, dek, chapô, bajada): the paragraph under the
 * headline that many CMSs put in the article's <header> or in a block of its
 * own before the body container. It is part of the story, but it sits outside
 * the element that holds the body, so it is found here and put back in front.
 */
import { type Element, collapseSpaces, elementsInOrder, isInside, textOf } from './dom.js';
import type { CleanRules } from './rules.js';
import type { StatsMap } from './stats.js';

export interface LeadCandidate {
  el: Element;
  /** Story containers (see storyContainers) around the candidate when it was seen, before pruning detached it. */
  containers: Element[];
  order: number;
}

const MIN_LEAD_CHARS = 40;
const MAX_LEAD_CHARS = 1200;
const MAX_LEAD_LINK_DENSITY = 0.3;
/** A place dateline in front of a standfirst that otherwise is the declared description. */
const MAX_DATELINE_CHARS = 30;

const closestArticle = (el: Element | null): Element | null => {
  for (let n: Element | null = el; n; n = n.parent as Element | null) if (n.type === 'tag' && n.name === 'article') return n;
  return null;
};

/** Ancestors that wrap a story (<article>, <main>, .article, .news-single ...), nearest first. */
function storyContainers(el: Element, rules: CleanRules): Element[] {
  const out: Element[] = [];
  for (let n = el.parent as Element | null; n && n.type === 'tag'; n = n.parent as Element | null) {
    if (n.name === 'article' || n.name === 'main' || rules.storyContainerPattern.test(n.attribs['class'] ?? '')) out.push(n);
  }
  return out;
}

/** Attributes that name a component where class names are hashed (data-testid="article-intro", data-component="dek"). */
const NAMING_ATTRIBUTES = ['data-testid', 'data-component', 'data-role', 'data-type'];

/** Lead-like elements: p in an article's header, or elements whose class/id (or naming data attribute) names a lead. */
function isLeadLike(el: Element, rules: CleanRules): boolean {
  if (el.name === 'h1') return false; // the headline itself ("intro-headline")
  const { class: cls, id } = el.attribs;
  if ((cls || id) && rules.leadPattern.test(`${cls ?? ''} ${id ?? ''}`)) return true;
  for (const a of NAMING_ATTRIBUTES) {
    const v = el.attribs[a];
    if (v && rules.leadPattern.test(v)) return true;
  }
  if (el.name !== 'p') return false;
  for (let n = el.parent as Element | null; n && n.type === 'tag'; n = n.parent as Element | null) {
    if (n.name === 'aside') return false; // a notice box in the header ("this report was not edited")
    if (n.name === 'header') return closestArticle(n) !== null;
    if (n.name === 'article') return false;
  }
  return false;
}

/** Record lead candidates and the document order of every element; call before pruning. */
export interface LeadCandidates {
  candidates: LeadCandidate[];
  /** The body's elements in document order, before pruning. */
  order: readonly Element[];
  /** Each <h1> and its document order: a lead follows the headline. */
  headlines: { el: Element; order: number }[];
}

const foldText = (s: string): string => collapseSpaces(s).toLowerCase();

/**
 * The page's declared description (og:description, meta description) is most
 * often the standfirst word for word: an element holding exactly that text is
 * a lead whatever its class says. Only elements of about the right length are read.
 */
function matchesDescription(el: Element, description: string | null, stats: StatsMap): boolean {
  if (!description || (el.name !== 'p' && el.name !== 'div')) return false;
  const n = stats.get(el)?.text ?? 0;
  if (n < description.length - 3 || n > description.length + MAX_DATELINE_CHARS) return false;
  const text = foldText(textOf(el));
  if (text === description) return true;
  // "Berlin. <description>", «بيروت - <description>»: the standfirst with a place dateline the description leaves out.
  const head = text.slice(0, text.length - description.length);
  return text.endsWith(description) && /^[^\s.:]+(?: [^\s.:]+){0,2}(?:[.:]| [-–—]) ?$/u.test(head);
}

export function findLeadCandidates(body: Element, rules: CleanRules, stats: StatsMap, declaredDescription?: string | null, order: readonly Element[] = elementsInOrder(body)): LeadCandidates {
  const candidates: LeadCandidate[] = [];
  const headlines: LeadCandidates['headlines'] = [];
  const folded = declaredDescription ? foldText(declaredDescription) : '';
  const description = folded.length >= MIN_LEAD_CHARS ? folded : null;
  for (let i = 0; i < order.length; i++) {
    const el = order[i]!;
    if (el.name === 'h1') headlines.push({ el, order: i });
    // The length test first: it is a lookup, and it rules out most elements before any class is matched.
    const s = stats.get(el);
    if (!s || s.text < MIN_LEAD_CHARS || s.text > MAX_LEAD_CHARS || s.link > s.text * MAX_LEAD_LINK_DENSITY) continue;
    if (!isLeadLike(el, rules) && !matchesDescription(el, description, stats)) continue;
    if (candidates.length && isInside(el, candidates[candidates.length - 1]!.el)) continue;
    candidates.push({ el, containers: storyContainers(el, rules), order: i });
  }
  return { candidates, order, headlines };
}

/**
 * The candidates between the headline (the last <h1> before the body, if
 * any) and the body root, inside a story container (an <article>, <main>, or
 * an element classed article/news/story/post/entry) that also holds the root;
 * or the standfirst inside the root itself, when its wrapper (the article's
 * <header>) was pruned as boilerplate.
 */
export function leadsFor(root: Element, found: LeadCandidates, rules: CleanRules): Element[] {
  const rootOrder = found.order.indexOf(root);
  if (rootOrder < 0) return [];
  const first = standfirst(found);
  const pruned = found.candidates.find((c) => c.el === first && c.order > rootOrder && c.containers.includes(root) && !isInside(c.el, root));
  if (pruned) return [pruned.el];
  const containers = storyContainers(root, rules);
  if (containers.length === 0) return [];
  const headline = found.headlines.filter((h) => h.order < rootOrder).pop();
  const afterHeadline = (c: LeadCandidate) => !headline || c.order > headline.order || isInside(headline.el, c.el);
  return found.candidates.filter((c) => afterHeadline(c) && c.order < rootOrder && containers.some((a) => c.containers.includes(a))).map((c) => c.el);
}

/** The first lead candidate after the first headline (or the first of all, with no <h1>): the likeliest standfirst. */
export function standfirst(found: LeadCandidates): Element | null {
  const h1 = found.headlines[0];
  return found.candidates.find((c) => !h1 || c.order > h1.order || isInside(h1.el, c.el))?.el ?? null;
}
