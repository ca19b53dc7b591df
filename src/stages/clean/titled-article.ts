/**
 * Infinite scroll and "next story" blocks append whole further articles below
 * the one the page is about. When the page holds two or more substantial
 * <article> elements, the one whose own headline matches the page's declared
 * title (og:title, JSON-LD headline, <title>…) is the article; the body is
 * then looked for inside it alone.
 */
import { type Element, collapseSpaces, elementsInOrder, isInside, textOf } from './dom.js';
import { MIN_BODY_CHARS } from './select-body.js';
import { type StatsMap, contentChars } from './stats.js';

const HEADINGS = new Set(['h1', 'h2']);
/** Shorter headings ("News", "Sport") say nothing about which article is meant. */
const MIN_HEADLINE_CHARS = 12;

/** Lower case, letters and digits only, single spaces: "- Angsten vil øke!" → "angsten vil øke". */
const fold = (s: string): string =>
  collapseSpaces(s.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' '));

/** The outermost <article> elements holding enough non-link text, in page order. */
function outerArticles(root: Element, stats: StatsMap): Element[] {
  const out: Element[] = [];
  for (const el of elementsInOrder(root)) {
    if (el.name !== 'article' || contentChars(stats, el) < MIN_BODY_CHARS) continue;
    if (out.length && isInside(el, out[out.length - 1]!)) continue;
    out.push(el);
  }
  return out;
}

/** The first h1/h2 inside an article, folded; null when there is none or it is too short. */
function headlineOf(article: Element): string | null {
  for (const el of elementsInOrder(article)) {
    if (!HEADINGS.has(el.name)) continue;
    const h = fold(textOf(el));
    return h.length >= MIN_HEADLINE_CHARS ? h : null;
  }
  return null;
}

const matches = (headline: string, titles: string[]): boolean => titles.some((t) => t.includes(headline) || (t.length >= MIN_HEADLINE_CHARS && headline.includes(t)));

/**
 * The article the page is about when `root` (the chosen body) is one of
 * several articles, or holds several: the only substantial <article> whose
 * headline matches a declared title, if `root` is another article or holds
 * others beside it. Null when nothing needs to change.
 */
export function titledArticle(body: Element, root: Element, titles: (string | null | undefined)[], stats: StatsMap): Element | null {
  const folded = titles.filter((t): t is string => !!t).map(fold).filter((t) => t.length >= MIN_HEADLINE_CHARS);
  if (folded.length === 0) return null;
  const articles = outerArticles(body, stats);
  if (articles.length < 2) return null;
  const titled = articles.filter((a) => {
    const h = headlineOf(a);
    return h !== null && matches(h, folded);
  });
  if (titled.length !== 1) return null;
  const article = titled[0]!;
  if (root === article || isInside(root, article)) return null;
  // The chosen root holds the titled article and others beside it: narrow it.
  if (isInside(article, root)) return articles.some((a) => a !== article && isInside(a, root)) ? article : null;
  // The chosen root lies in another article.
  return articles.some((a) => a !== article && isInside(root, a)) ? article : null;
}
