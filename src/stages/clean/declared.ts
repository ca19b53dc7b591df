/**
 * Title, authors and site names as the page declares them, chosen in
 * Mozilla Readability's order of precedence (JSON-LD, Dublin Core, Open
 * Graph, meta, Twitter, Parse.ly), plus the page elements that name them
 * without metadata: byline elements and the logo link to the home page.
 * Values are returned as found; src/stages/normalize cleans them.
 */
import { parseUrl } from '../../shared/url.js';
import { type Element, collapseSpaces, elementsInOrder, textIn, textOf } from './dom.js';
import { type LdObject, ldNames, ldString, ldTypes } from './json-ld.js';

/** <meta> values by lower-cased key (src/stages/clean/metadata.ts collects them). */
export type MetaMap = Map<string, string[]>;

/** The first non-empty value of the first of `keys` present. */
export const firstMeta = (m: MetaMap, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = m.get(k)?.[0];
    if (v) return v;
  }
  return null;
};

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** Readability's byline hint, matched on class and id. */
export const BYLINE_HINT_PATTERN = /byline|author|dateline|writtenby|p-author/i;
/** Where a byline-looking element is someone else's: comments, related-story lists, widgets. */
const NOT_THE_ARTICLE = /comment|related|sidebar|widget|recommend|popular/i;
/** href of a link to a site's home page: "/", "//host/", "https://host/index.html". */
const HOME_HREF = /^(?:(?:https?:)?\/\/([^/?#\s]+)\/?|\/)(?:index\.\w+)?$/i;

/** class/id says byline, and neither it nor an ancestor is a comment, a list of other stories or a widget. */
export function isBylineElement(el: Element, hinted = hasBylineHint(el.attribs['class'] ?? '', el.attribs['id'] ?? '')): boolean {
  return hinted && isBylineContext(el);
}

/** The class or id says byline. Runs on every element with either: no string building. */
export const hasBylineHint = (cls: string, id: string): boolean => (!!cls && BYLINE_HINT_PATTERN.test(cls)) || (!!id && BYLINE_HINT_PATTERN.test(id));

/** A label that heads an author's name: "Autorin/Autor", "Author:", «الكاتب». */
const AUTHOR_LABEL = /^(?:autor(?:in)?(?:\s*\/\s*autor(?:in)?)?|autoren|author|authors|written\s+by|verfasser(?:in)?|auteur|autore|autora|الكاتب|الكاتبة|بقلم|المؤلف)\s*[:：]?$/iu;
/** Where a label and its value share one line: a list item, a paragraph, a cell. */
const LABELLED_LINE = new Set(['li', 'p', 'div', 'td', 'dd', 'span']);

/**
 * The line an author label heads (`<li><strong>Autor</strong> Jane Roe</li>`):
 * a byline element that says so by its text, not its class. Only <strong>,
 * <b> and <em> labels are looked at, and only while the line is short.
 */
export function labelledBylineOf(el: Element): Element | null {
  if (el.name === 'li' || el.name === 'p' || el.name === 'div' || el.name === 'span') return textLabelledLine(el);
  if (el.name !== 'strong' && el.name !== 'b' && el.name !== 'em') return null;
  const parent = el.parent as Element | null;
  if (!parent || parent.type !== 'tag' || !LABELLED_LINE.has(parent.name)) return null;
  const label = textOf(el).trim();
  return label.length <= 20 && AUTHOR_LABEL.test(label) && isBylineContext(parent) ? parent : null;
}

/** A reporter's role as a label («خبرنگار:», «المراسل:», "Reporter:"): bylines.ts takes the role word off. */
const ROLE_LABELS = 'reporter|correspondent|المراسل|مراسل|خبرنگار|نویسنده';
/** A plain-text author label and its colon, heading a line: "Von:", "By:", «كتب:», or a role label. */
const COLON_LABEL = new RegExp(`^(?:von|by|par|por|door|di|autor(?:in)?|author|authors|verfasser(?:in)?|auteur|كتب|كتبت|بقلم|الكاتب|الكاتبة|${ROLE_LABELS})\\s*[:：]$`, 'iu');
/** A role label with the name in the same text («خبرنگار: مریم احمدی»): never "Di:" or "Von:", which also head opening hours and forms. */
const ROLE_LABEL_LINE = new RegExp(`^\\s*(?:${ROLE_LABELS})\\s*[:：]\\s*\\S`, 'iu');
const MAX_LABEL = 14;
const MAX_LABELLED_LINE = 150;

/**
 * The label a line's text node starts with, colon included ("Von:"), when
 * nothing but spaces follows it; else null. Runs on every line element's
 * first text: a few character reads, no string building, until a colon comes
 * early.
 */
function leadingLabel(data: string): string | null {
  let i = 0;
  while (i < data.length && data.charCodeAt(i) <= 32) i++;
  if (i === data.length) return null;
  let end = i;
  while (end < data.length && end - i <= MAX_LABEL && data[end] !== ':' && data[end] !== '：') end++;
  if (end === data.length || end - i > MAX_LABEL) return null;
  for (let j = end + 1; j < data.length; j++) if (data.charCodeAt(j) > 32) return null;
  return data.slice(i, end + 1);
}

/** `<li>Von: <a>Jane Roe</a>, <a>Tom Lund</a></li>`: a short list item, paragraph, div or span whose first text is an author label and its colon. */
function textLabelledLine(el: Element): Element | null {
  // Parsed HTML has no two text nodes in a row: the first child holds the whole label.
  const first = el.children[0];
  if (!first || first.type !== 'text') return null;
  const data = (first as unknown as { data: string }).data;
  const label = leadingLabel(data);
  if (label ? !COLON_LABEL.test(label) : !ROLE_LABEL_LINE.test(data)) return null;
  // A <br> ends the byline: what follows (profile links, a job title) is another line.
  const oneLine = !el.children.some((c) => c.type === 'tag' && (c as Element).name === 'br');
  return oneLine && textIn(el).length <= MAX_LABELLED_LINE && isBylineContext(el) ? el : null;
}

/**
 * Not inside an aside, nav, footer, comment, related list or widget. A wrapper
 * whose class only names the layout ("layout-with-sidebar", "has-sidebar")
 * holds the page's headline; a real sidebar or widget never does.
 */
function isBylineContext(el: Element): boolean {
  for (let p: Element | null = el; p && p.type === 'tag'; p = p.parent as Element | null) {
    if (p.name === 'aside' || p.name === 'nav' || p.name === 'footer') return false;
    if (NOT_THE_ARTICLE.test(`${p.attribs['class'] ?? ''} ${p.attribs['id'] ?? ''}`) && !holdsHeadline(p)) return false;
  }
  return true;
}

/** Answers per wrapper: the comment authors of one comment list ask about the same ancestors. */
const headlineHolders = new WeakMap<Element, boolean>();

/** An <h1> below `el` (looked for only above byline candidates, under a widget-like class). */
function holdsHeadline(el: Element): boolean {
  let known = headlineHolders.get(el);
  if (known === undefined) headlineHolders.set(el, (known = elementsInOrder(el).some((d) => d.name === 'h1')));
  return known;
}

/** A link to the site's home page: the logo, usually. */
export const isHomeLink = (el: Element): boolean => HOME_HREF.test(el.attribs['href']?.trim() ?? '');

/** An author element's name: its [itemprop=name] descendants' text, else its own text. */
export function authorName(el: Element): string {
  const names = elementsInOrder(el).filter((d) => d !== el && d.attribs['itemprop'] === 'name');
  return collapseSpaces(names.map(textOf).join('') || textOf(el));
}

/** A JSON-LD `name` ("Org" or {name: "Org"}); never a URL or @id standing in for it. */
function ldName(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  const name = v && typeof v === 'object' ? (v as LdObject)['name'] : v;
  return typeof name === 'string' ? name.trim() || null : null;
}

const isArticleType = (o: LdObject | null): boolean => !!o && ldTypes(o).some((t) => /article|posting|report/.test(t));

/** Share of `b`'s words (by length) that `a` has too: Readability's text similarity, on Unicode words. */
function similarity(a: string, b: string): number {
  const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const inA = new Set(words(a));
  const wb = words(b);
  if (inA.size === 0 || wb.length === 0) return 0;
  return 1 - wb.filter((w) => !inA.has(w)).join(' ').length / wb.join(' ').length;
}

/**
 * The JSON-LD article's title. When `name` and `headline` differ (one may be
 * the site's name, or a Wikipedia-style description), the one that matches
 * the <title> (less its last segment, often the site) wins, else `name`, as
 * Readability does; a `name` that is the publisher's is the site's, not the article's.
 */
function ldTitle(article: LdObject | null, htmlTitle: string): string | null {
  if (!article || !isArticleType(article)) return null;
  const name = typeof article['name'] === 'string' ? article['name'].trim() : '';
  const headline = typeof article['headline'] === 'string' ? article['headline'].trim() : '';
  if (name && headline && name !== headline) {
    if (name === ldName(article['publisher'])) return headline;
    const shortTitle = htmlTitle.replace(/^(.*\S)\s+[|\-–—»·]\s+.*$/u, '$1');
    const matches = (s: string) => Math.max(similarity(s, htmlTitle), similarity(s, shortTitle)) > 0.75;
    return matches(headline) && !matches(name) ? headline : name;
  }
  return name || headline || null;
}

/**
 * The first title declared in metadata, in Readability's order: the JSON-LD
 * article's name/headline, then Dublin Core, Open Graph, Weibo, `title`, Twitter, Parse.ly.
 */
export function declaredTitle(meta: MetaMap, article: LdObject | null, htmlTitle: string): string | null {
  return ldTitle(article, htmlTitle) ?? firstMeta(meta, 'dc:title', 'dc.title', 'dcterm:title', 'dcterms:title', 'dcterms.title', 'og:title', 'weibo:article:title', 'weibo:webpage:title', 'title', 'twitter:title', 'parsely-title');
}

/**
 * Names of JSON-LD authors: "A", {name}, {givenName, familyName}; never the
 * `url` or `@id` that stands in for a missing name.
 */
export function ldAuthorNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  return list.flatMap((v) => {
    if (!v || typeof v !== 'object') return ldNames(v);
    const o = v as LdObject;
    const parts = [o['givenName'], o['familyName']].filter((p): p is string => typeof p === 'string');
    const name = ldString(o['name'] ?? null) ?? collapseSpaces(parts.join(' '));
    return name ? [name] : [];
  });
}

/**
 * Declared authors from the first source that has any, in Readability's order:
 * JSON-LD, Dublin Core creator, meta author, Parse.ly, article:author (not a
 * profile URL); else rel/itemprop=author elements. Sources are not merged:
 * they spell the same person differently ("Jane Roe" / "jroe").
 */
export function declaredAuthors(meta: MetaMap, article: LdObject | null, elements: Element[]): string[] {
  const sources = [
    ldAuthorNames(article?.['author']),
    ...['dc:creator', 'dc.creator', 'dcterm:creator', 'dcterms:creator', 'dcterms.creator', 'author', 'parsely-author'].map((k) => meta.get(k) ?? []),
    (meta.get('article:author') ?? []).filter((a) => !isUrl(a)),
  ];
  const declared = sources.find((list) => list.length > 0);
  if (declared) return [...declared];
  return elements.map(authorName).filter((t) => t && t.length < 80);
}

/**
 * Site names the page declares: JSON-LD publisher, og:site_name,
 * application-name, else a JSON-LD Organization/WebSite name. An
 * application-name or WebSite name that is the page's title (some CMSs fill
 * them in so) is none.
 */
export function declaredSiteNames(meta: MetaMap, article: LdObject | null, ld: LdObject[], titles: (string | null)[]): string[] {
  const isTitle = (n: string) => titles.some((t) => t && collapseSpaces(t) === collapseSpaces(n));
  const names = [ldName(article?.['publisher']), ...(meta.get('og:site_name') ?? [])];
  names.push(...(meta.get('application-name') ?? []).filter((n) => !isTitle(n)));
  if (!names.some(Boolean)) {
    const org = ldName(ld.find((o) => ldTypes(o).some((t) => /organization|website/.test(t))));
    if (org && !isTitle(org)) names.push(org);
  }
  return [...new Set(names.filter((n): n is string => !!n))];
}

/** Text of the links to the home page (or their logo's alt): the site's name, often. Absolute links only on the page's own host. */
export function homeLinkNames(links: Element[], pageUrl: string | null): string[] {
  const host = pageUrl ? (parseUrl(pageUrl)?.host ?? null) : null;
  const names: string[] = [];
  for (const a of links) {
    const linkHost = HOME_HREF.exec(a.attribs['href']!.trim())?.[1];
    if (linkHost && linkHost !== host) continue;
    const img = elementsInOrder(a).find((d) => d.name === 'img');
    const name = textIn(a) || collapseSpaces(img?.attribs['alt'] ?? a.attribs['title'] ?? a.attribs['aria-label'] ?? '');
    if (name && name.length <= 80) names.push(name);
  }
  return names;
}
