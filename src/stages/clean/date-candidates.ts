/**
 * Date candidates from the page, as found: JSON-LD datePublished/dateModified
 * of the article object, <meta> keys (config/rules/dates.json, in priority
 * order), itemprop microdata, <time> elements and short dateline elements
 * (class/id hints such as "date", "byline", "meta"). The normalize stage
 * parses and chooses (src/stages/normalize/pick-dates.ts).
 *
 * Dates of other stories are the trap: related lists, sidebars and teaser
 * cards carry <time> elements and even itemprop=datePublished. Elements inside
 * a container that does not hold the headline and looks like one of those
 * (avoid words and tags) are skipped; <time> elements outside the headline's
 * <article>/<main> rank last; dateline text is read only after the headline,
 * inside its article or a few levels around it (never the page header's
 * "today" date).
 */
import type { DateSource, RawMetadata } from '../../shared/types.js';
import { type DateRules, dateLabelOf, defaultDateRules, isJsSpace } from '../normalize/index.js';
import { type AnyNode, type Element, type ParentNode, collapseSpaces, isParent, isTag, isText, textOf } from './dom.js';
import { type LdObject, ldString } from './json-ld.js';

type DateLists = NonNullable<RawMetadata['dates']>;

/** Date-bearing elements found during the metadata walk, in document order. */
export interface DateElements {
  /** [itemprop~=datePublished], [itemprop~=dateModified] */
  published: Element[];
  modified: Element[];
  times: Element[];
  /** Elements whose class/id has a date hint word, and lines with a date label element (<strong>Date</strong> 3.8.2024). */
  hinted: Element[];
  /** Document-order index of the elements above and of h1 / itemprop=headline elements. */
  order: Map<Element, number>;
  seen: number;
}

/** Per list: enough for the article's own dates on pages with long related lists. */
const MAX_ELEMENTS = 200;
/** Dateline elements read after the headline. */
const MAX_DATELINES = 5;
/** <time> elements outside the headline's article: a fallback, the first few are enough. */
const MAX_LOOSE_TIMES = 10;
const MAX_DATELINE_CHARS = 200;

const PROP_PUBLISHED = /(?:^|\s)datePublished(?:$|\s)/;
const PROP_MODIFIED = /(?:^|\s)dateModified(?:$|\s)/;

export const newDateElements = (): DateElements => ({ published: [], modified: [], times: [], hinted: [], order: new Map(), seen: 0 });

/** Pages repeat class strings: their words are memoized (bounded: cleared when full). */
const wordMemo = new Map<string, string[]>();
const MAX_MEMO = 20_000;

/** Class/id words: "post-date entryMeta" → post, date, entry, meta. */
const dateHintWords = (el: Element): string[] => dateHintWordsOf(`${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`);

function dateHintWordsOf(raw: string): string[] {
  let words = wordMemo.get(raw);
  if (words) return words;
  if (wordMemo.size >= MAX_MEMO) wordMemo.clear();
  words = raw
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-:./]+/)
    .filter(Boolean);
  wordMemo.set(raw, words);
  return words;
}

const hasWord = (el: Element, words: Set<string>): boolean => dateHintWords(el).some((w) => words.has(w));

let hintPrefilter: { rules: DateRules; re: RegExp } | undefined;

/** Any date hint word anywhere (case-insensitive): a cheap test before splitting class/id into words. */
function dateHintPattern(rules: DateRules): RegExp {
  if (hintPrefilter?.rules !== rules) hintPrefilter = { rules, re: new RegExp([...rules.hints.date].join('|'), 'i') };
  return hintPrefilter.re;
}

/**
 * A class (and id) with a date hint word ("post-date", "entryMeta"): a cheap
 * substring test first, then the words. Runs on every element with a class or
 * id (the metadata walk reads them once for all its class/id checks).
 */
export function hasDateHint(cls: string, id: string, rules: DateRules): boolean {
  const raw = cls + id;
  return !!raw && dateHintPattern(rules).test(raw) && dateHintWordsOf(`${cls} ${id}`).some((w) => rules.hints.date.has(w));
}

const dateHintOf = (el: Element, rules: DateRules): boolean => hasDateHint(el.attribs['class'] ?? '', el.attribs['id'] ?? '', rules);

function push(list: Element[], el: Element, d: DateElements): void {
  if (list.length >= MAX_ELEMENTS) return;
  list.push(el);
  d.order.set(el, d.seen);
}

/** Short elements that label the value beside them: <strong>Updated</strong>, <dt>Datum</dt>, <th>Date</th>. */
const LABEL_TAGS = new Set(['strong', 'b', 'dt', 'th', 'label']);
const MAX_LABEL_CHARS = 30;

/** A label element ("Datum", "Updated:", «آخر تحديث») of a short line: its parent holds the label and the date. */
function labelledLine(el: Element, rules: DateRules): Element | null {
  if (!LABEL_TAGS.has(el.name) || el.children.length !== 1) return null;
  const only = el.children[0]!;
  if (only.type !== 'text' || !('data' in only) || only.data.length > MAX_LABEL_CHARS) return null;
  const parent = el.parent;
  return parent && isTag(parent) && dateLabelOf(only.data, rules) !== null ? parent : null;
}

/**
 * Called for every element in document order (the metadata walk), which may
 * pass what it already read: the itemprop attribute and hasDateHint's answer.
 */
export function noteDateElement(d: DateElements, el: Element, rules: DateRules = defaultDateRules(), prop = el.attribs['itemprop'], dateHint?: boolean): void {
  d.seen++;
  if (el.name === 'h1' || prop === 'headline') d.order.set(el, d.seen);
  if (prop !== undefined) {
    if (PROP_PUBLISHED.test(prop)) push(d.published, el, d);
    if (PROP_MODIFIED.test(prop)) push(d.modified, el, d);
  }
  if (el.name === 'time') push(d.times, el, d);
  else if (dateHint ?? dateHintOf(el, rules)) push(d.hinted, el, d);
  else {
    const line = labelledLine(el, rules);
    if (line && !d.hinted.includes(line)) push(d.hinted, line, d);
  }
}

/**
 * The text before `el` in its parent when the parent is a short line and that
 * text holds a date label: "Updated <time>…</time>", «<span>آخر تحديث</span>
 * <span class="date">…</span>». Empty otherwise.
 */
function labelBefore(el: Element, own: string, rules: DateRules): string {
  const parent = el.parent;
  if (!parent || !isTag(parent)) return '';
  if (longerThan(parent, MAX_DATELINE_CHARS)) return '';
  const line = text(parent);
  if (line.length > MAX_DATELINE_CHARS) return '';
  const at = line.indexOf(own);
  const before = at > 0 ? line.slice(0, at) : '';
  return before && dateLabelOf(before, rules) !== null ? before : '';
}

/** The elements around the headline: never a related list. */
function ancestorsOf(el: Element | undefined): Set<Element> {
  const set = new Set<Element>();
  for (let p = el?.parent ?? null; p && isTag(p); p = p.parent) set.add(p);
  return set;
}

/** True when `ancestor` is one of the element ancestors of `el` (ancestorsOf(el).has(ancestor), without the set). */
function isBelow(el: Element, ancestor: Element): boolean {
  for (let p = el.parent; p && isTag(p); p = p.parent) if (p === ancestor) return true;
  return false;
}

function inStory(el: Element): boolean {
  for (let p = el.parent; p && isTag(p); p = p.parent) if (p.name === 'article' || p.name === 'main') return true;
  return false;
}

/**
 * Inside a container of other stories (related list, teaser, comments,
 * sidebar: avoid words) or page chrome (aside, nav, header, footer outside
 * any <article>/<main>: an article has its own header and footer)? The
 * headline's own containers are never either.
 */
function isAvoided(el: Element, headlineAncestors: Set<Element>, rules: DateRules): boolean {
  for (let p: ParentNode | null = el; p && isTag(p) && p.name !== 'body'; p = p.parent) {
    if (headlineAncestors.has(p)) return false;
    if (hasWord(p, rules.hints.avoid) || (rules.hints.avoidTags.has(p.name) && !inStory(p))) return true;
  }
  return false;
}

/** Levels above the headline that still hold its own dateline (a kicker row before the h1). */
const NEAR_LEVELS = 3;

/** The headline's ancestor NEAR_LEVELS up, stopping below <body>. */
function nearHeadline(around: Set<Element>): Element | undefined {
  let near: Element | undefined;
  for (const p of [...around].slice(0, NEAR_LEVELS)) {
    if (p.name === 'body' || p.name === 'html') break;
    near = p;
  }
  return near;
}

const text = (el: Element): string => collapseSpaces(textOf(el));

/**
 * More than `max` non-space characters below `el`, so text(el) is longer than
 * `max` however it is spaced: found without building the text, and stopping
 * there (a "meta" wrapper can hold the whole article).
 */
function longerThan(el: Element, max: number): boolean {
  let n = 0;
  const stack: AnyNode[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isText(node)) {
      const data = node.data;
      for (let i = 0; i < data.length; i++) if (!isJsSpace(data.charCodeAt(i)) && ++n > max) return true;
    } else if (isParent(node)) for (const kid of node.children) stack.push(kid);
  }
  return false;
}

/** A microdata value: content or datetime attribute, else the element's text. */
const itempropValue = (el: Element): string => (el.attribs['content'] ?? el.attribs['datetime'] ?? text(el)).trim();

/** Where the headline sits: its ancestors, its <article>/<main>, and its near ancestor. */
interface Around {
  headline: Element | undefined;
  ancestors: Set<Element>;
  scope: Element | undefined;
  near: Element | undefined;
}

function around(headline: Element | undefined): Around {
  const ancestors = ancestorsOf(headline);
  const scope = [...ancestors].find((p) => p.name === 'article') ?? [...ancestors].find((p) => p.name === 'main');
  return { headline, ancestors, scope, near: nearHeadline(ancestors) };
}

type Add = (role: 'published' | 'modified' | 'both', source: DateSource, value: string | null | undefined) => void;

/**
 * <time> elements: those in the headline's article (or marked pubdate) first
 * as 'time', the rest as 'loose-time'. The visible text is a candidate too:
 * it may add the time of day the datetime attribute lacks.
 */
function addTimes(times: Element[], at: Around, add: Add, rules: DateRules): void {
  const inScope = (el: Element): boolean => !at.headline || !at.scope || isBelow(el, at.scope);
  const strong = times.filter((el) => inScope(el) || el.attribs['pubdate'] !== undefined);
  const loose = times.filter((el) => !strong.includes(el)).slice(0, MAX_LOOSE_TIMES);
  for (const [list, source] of [[strong, 'time'], [loose, 'loose-time']] as const) {
    for (const el of list) {
      const t = text(el);
      // "Updated <time>": the label beside the element says the role; "Deadline" dates are no candidates.
      const label = t ? dateLabelOf(labelBefore(el, t, rules), rules) : null;
      if (label === 'other') continue;
      const modified = label === 'modified' || PROP_MODIFIED.test(el.attribs['itemprop'] ?? '') || hasWord(el, rules.hints.modified);
      const role = modified ? 'modified' : 'published';
      add(role, source, el.attribs['datetime']);
      if (t.length <= MAX_DATELINE_CHARS) add(role, source, t);
    }
  }
}

/** Dateline text: after the headline, inside its article or next to it; never the page header's "today" date. */
function addDatelines(d: DateElements, at: Around, keep: (el: Element) => boolean, add: Add, rules: DateRules): void {
  const headlineAt = at.headline ? (d.order.get(at.headline) ?? -1) : -1;
  const nearby = (el: Element): boolean => (at.scope !== undefined && isBelow(el, at.scope)) || (at.near !== undefined && isBelow(el, at.near));
  let n = 0;
  for (const el of d.hinted) {
    if (n >= MAX_DATELINES) break;
    if (!((d.order.get(el) ?? 0) > headlineAt || nearby(el)) || !keep(el)) continue;
    if (longerThan(el, MAX_DATELINE_CHARS)) continue;
    const t = text(el);
    if (t.length === 0 || t.length > MAX_DATELINE_CHARS) continue;
    // A label in a sibling element («آخر تحديث» <span class="date">…</span>) is read with the date.
    const before = labelBefore(el, t, rules);
    add('both', 'text', before ? `${before.trimEnd()} ${t}` : t);
    n++;
  }
}

export function dateCandidates(d: DateElements, meta: Map<string, string[]>, article: LdObject | null, headline: Element | undefined, rules: DateRules = defaultDateRules()): DateLists {
  const dates: DateLists = { published: [], modified: [] };
  const add: Add = (role, source, value) => {
    const v = value?.trim();
    if (!v) return;
    for (const list of role === 'both' ? [dates.published, dates.modified] : [dates[role]]) {
      if (!list.some((c) => c.value === v && c.source === source)) list.push({ value: v, source });
    }
  };

  for (const key of ['datePublished', 'dateCreated', 'uploadDate']) add('published', 'json-ld', ldString(article?.[key]));
  add('modified', 'json-ld', ldString(article?.['dateModified']));
  for (const key of rules.metaKeys.published) for (const v of meta.get(key) ?? []) add('published', 'meta', v);
  for (const key of rules.metaKeys.modified) for (const v of meta.get(key) ?? []) add('modified', 'meta', v);

  const at = around(headline);
  const keep = (el: Element): boolean => !isAvoided(el, at.ancestors, rules);
  for (const el of d.published.filter(keep)) add('published', 'itemprop', itempropValue(el));
  for (const el of d.modified.filter(keep)) add('modified', 'itemprop', itempropValue(el));
  addTimes(d.times.filter(keep), at, add, rules);
  addDatelines(d, at, keep, add, rules);
  return dates;
}
