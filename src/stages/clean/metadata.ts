/**
 * Raw metadata from the obvious sources: JSON-LD, Open Graph and other meta
 * tags, <link rel=canonical>, <title>, <h1>, <html lang>. Values are returned
 * as found; the normalize stage puts them in standard forms.
 */
import type { CheerioAPI } from 'cheerio/slim';
import type { RawMetadata } from '../../shared/types.js';
import { type Document, type Element, collapseSpaces, elementsInOrder, textIn, textOf } from './dom.js';
import { type LdObject, findArticleObject, ldNames, ldString, ldTypes, parseJsonLd } from './json-ld.js';
import { type DateElements, dateCandidates, hasDateHint, newDateElements, noteDateElement } from './date-candidates.js';
import { type DateRules, defaultDateRules } from '../normalize/index.js';
import { BYLINE_HINT_PATTERN, type MetaMap, authorName, firstMeta, declaredAuthors, declaredSiteNames, declaredTitle, hasBylineHint, homeLinkNames, isBylineElement, isHomeLink, labelledBylineOf } from './declared.js';

/** How many rel=author / itemprop=author elements the author fallback reads. */
const MAX_AUTHOR_ELEMENTS = 5;
/** How many byline elements (by class/id) and home-page links are kept. */
const MAX_BYLINE_ELEMENTS = 5;
const MAX_HOME_LINKS = 5;

/**
 * The elements metadata is read from, found in one walk over the page: a
 * dozen cheerio queries each walked the whole tree. Each "first" is the first
 * in document order, as `$(selector).firstMeta()` would return it.
 */
interface Found {
  metas: Element[];
  /** script[type="application/ld+json" i] */
  ldScripts: Element[];
  html?: Element;
  body?: Element;
  title?: Element;
  /** link[rel~=canonical] */
  canonical?: Element;
  /** h1 candidates by the selector that finds them: article h1, main h1, [itemprop=headline], h1. */
  h1InArticle?: Element;
  h1InMain?: Element;
  headline?: Element;
  h1?: Element;
  /** An h1 inside a breadcrumb trail: an SEO copy of the headline, not the one the article shows. */
  crumbH1?: Element;
  /** The first h2 after a breadcrumb h1: the headline the article shows when its h1 is a breadcrumb item. */
  h2AfterCrumb?: Element;
  /** [rel~=author], [itemprop~=author], at most MAX_AUTHOR_ELEMENTS. */
  authors: Element[];
  /** Elements whose class or id says byline / author, outside comments and widgets. */
  bylines: Element[];
  /** <a> to the site's home page (the logo link). */
  homeLinks: Element[];
  /** itemprop dates, <time> and dateline elements (src/stages/clean/date-candidates.ts). */
  dates: DateElements;
}

/**
 * CSS `[attr~=token]`: the token is one of the whitespace-separated words.
 * `rel` compares case-insensitively in HTML (as css-select does), `itemprop` does not.
 */
const tokenTest = (token: string, flags = '') => new RegExp(`(?:^|\\s)${token}(?:$|\\s)`, flags);
const REL_AUTHOR = tokenTest('author', 'i');
const REL_CANONICAL = tokenTest('canonical', 'i');
const PROP_AUTHOR = tokenTest('author');

function hasAncestor(el: Element, name: string): boolean {
  for (let p = el.parent; p; p = p.parent) if ((p as Element).name === name) return true;
  return false;
}

/** How many ancestors are looked at for a breadcrumb trail. */
const CRUMB_DEPTH = 3;
const CRUMB_HINT = /crumb/i;

/** In a breadcrumb trail: a <nav>, a `*crumb*` class or id, or a schema.org BreadcrumbList. */
function inBreadcrumb(el: Element): boolean {
  let p: Element | null = el;
  for (let i = 0; p && i < CRUMB_DEPTH; i++, p = p.parent as Element | null) {
    if (p.type !== 'tag') return false;
    if (p.name === 'nav') return true;
    const a = p.attribs;
    if (CRUMB_HINT.test(a['class'] ?? '') || CRUMB_HINT.test(a['id'] ?? '') || CRUMB_HINT.test(a['itemtype'] ?? '')) return true;
  }
  return false;
}

/**
 * A kicker (the topic line set above or before a headline, "Olympics: …")
 * as a part of the heading element, by its class: it is not headline.
 */
const KICKER_HINT = /kicker|catchline|overline|dachzeile|topline|eyebrow|roofline|supertitle|pretitle|titleheader/i;
const HEADLINE_HINT = /headline/i;

/** Separators and spaces left at a headline's edge when its kicker is dropped ("Kicker – Headline"). */
const EDGE_SEPARATORS = /^[\s:|·–—-]+|[\s:|·–—-]+$/gu;

/**
 * The headline a heading shows, without its kicker: children with a kicker
 * class (or hidden from screen readers) are dropped; else, when a child has a
 * headline class and other text comes before it, that child is the headline.
 * The heading's whole text when it has no such parts.
 */
function headingHeadline(el: Element): string {
  const kids = el.children.filter((k): k is Element => k.type === 'tag');
  const dropped = (k: Element): boolean => KICKER_HINT.test(k.attribs['class'] ?? '') || k.attribs['aria-hidden'] === 'true';
  if (kids.some((k) => KICKER_HINT.test(k.attribs['class'] ?? ''))) {
    return collapseSpaces(el.children.map((k) => (k.type === 'tag' && dropped(k as Element) ? ' ' : textOf(k))).join('')).replace(EDGE_SEPARATORS, '');
  }
  const i = kids.findIndex((k) => HEADLINE_HINT.test(k.attribs['class'] ?? ''));
  if (i > 0 && kids.slice(0, i).some((k) => textIn(k))) return textIn(kids[i]);
  return textIn(el);
}

/**
 * The heading's text as the article shows it: without a kicker part, unless
 * the page's og:title / JSON-LD headline repeat the whole heading (kicker
 * included) and not the part.
 */
function headingText(el: Element | undefined, declared: (string | null)[]): string {
  if (!el) return '';
  const whole = textIn(el);
  const part = headingHeadline(el);
  if (part === whole || !part) return whole;
  const key = (s: string | null) => (s ? collapseSpaces(s).toLowerCase() : '');
  const keys = declared.map(key);
  return keys.includes(key(whole)) && !keys.includes(key(part)) ? whole : part;
}

/** Elements found by their tag name (and, for <link>, rel). */
function noteByName(f: Found, el: Element): void {
  switch (el.name) {
    case 'meta':
      f.metas.push(el);
      break;
    case 'script':
      if (el.attribs['type']?.toLowerCase() === 'application/ld+json') f.ldScripts.push(el);
      break;
    case 'html':
      f.html ??= el;
      break;
    case 'body':
      f.body ??= el;
      break;
    case 'title':
      f.title ??= el;
      break;
    case 'link': {
      const rel = el.attribs['rel'];
      if (!f.canonical && rel !== undefined && REL_CANONICAL.test(rel)) f.canonical = el;
      break;
    }
    case 'a':
      if (f.homeLinks.length < MAX_HOME_LINKS && isHomeLink(el)) f.homeLinks.push(el);
      break;
    case 'h1':
      if (inBreadcrumb(el)) {
        f.crumbH1 ??= el;
        break;
      }
      f.h1 ??= el;
      if (!f.h1InArticle && hasAncestor(el, 'article')) f.h1InArticle = el;
      if (!f.h1InMain && hasAncestor(el, 'main')) f.h1InMain = el;
      break;
    case 'h2':
      if (f.crumbH1 && !f.h2AfterCrumb && !inBreadcrumb(el)) f.h2AfterCrumb = el;
      break;
  }
}

/** Elements found by their itemprop / rel attributes (and class/id hints: `bylineHint`), whatever their tag. */
function noteByAttributes(f: Found, el: Element, prop: string | undefined, bylineHint: boolean): void {
  const rel = el.attribs['rel'];
  if (prop === 'headline') f.headline ??= el;
  const isAuthor = (rel !== undefined && REL_AUTHOR.test(rel)) || (prop !== undefined && PROP_AUTHOR.test(prop));
  if (isAuthor && f.authors.length < MAX_AUTHOR_ELEMENTS) f.authors.push(el);
  if (f.bylines.length < MAX_BYLINE_ELEMENTS && isBylineElement(el, bylineHint)) f.bylines.push(el);
  else if (f.bylines.length < MAX_BYLINE_ELEMENTS) {
    const line = labelledBylineOf(el);
    if (line && !f.bylines.includes(line)) f.bylines.push(line);
  }
}

/** What an element's class and id say, as bits. */
const BYLINE_HINT = 1;
const DATE_HINT = 2;

let anyHint: { rules: DateRules; re: RegExp } | undefined;

/** Any byline or date hint word (case-insensitive): most classes and ids have none, and then one test settles both. */
function anyHintPattern(rules: DateRules): RegExp {
  if (anyHint?.rules !== rules) anyHint = { rules, re: new RegExp(`${BYLINE_HINT_PATTERN.source}|${[...rules.hints.date].join('|')}`, 'i') };
  return anyHint.re;
}

function classHints(el: Element, dateRules: DateRules): number {
  const cls = el.attribs['class'];
  const id = el.attribs['id'];
  // Most elements have neither: no hint.
  if (cls === undefined && id === undefined) return 0;
  const any = anyHintPattern(dateRules);
  if (!(cls !== undefined && any.test(cls)) && !(id !== undefined && any.test(id))) return 0;
  const [c, i] = [cls ?? '', id ?? ''];
  return (hasBylineHint(c, i) ? BYLINE_HINT : 0) | (hasDateHint(c, i, dateRules) ? DATE_HINT : 0);
}

function findElements(elements: readonly Element[], dateRules: DateRules): Found {
  const f: Found = { metas: [], ldScripts: [], authors: [], bylines: [], homeLinks: [], dates: newDateElements() };
  for (const el of elements) {
    noteByName(f, el);
    const hints = classHints(el, dateRules);
    const prop = el.attribs['itemprop'];
    noteByAttributes(f, el, prop, (hints & BYLINE_HINT) !== 0);
    noteDateElement(f.dates, el, dateRules, prop, (hints & DATE_HINT) !== 0);
  }
  return f;
}

/** All <meta> values keyed by lower-cased name / property / itemprop / http-equiv. */
function collectMeta(metas: Element[]): MetaMap {
  const map: MetaMap = new Map();
  for (const el of metas) {
    const a = el.attribs;
    const content = (a['content'] ?? a['value'] ?? '').trim();
    if (!content) continue;
    // RDFa `property` is a list: property="og:title twitter:title" is both.
    const props = a['property']?.trim().split(/\s+/) ?? [];
    const keys = props.length > 1 ? [...props, a['property']] : [a['property']];
    for (const key of [...keys, a['name'], a['itemprop'], a['http-equiv']]) {
      if (!key) continue;
      const k = key.toLowerCase().trim();
      const list = map.get(k);
      if (list) list.push(content);
      else map.set(k, [content]);
    }
  }
  return map;
}


export interface PageMetadata {
  meta: RawMetadata;
  /** The page's JSON-LD objects, @graph and mainEntity flattened. */
  ld: LdObject[];
  /** The first <body>, found by the same walk. */
  body: Element | undefined;
}

/**
 * Metadata, JSON-LD and the <body> of a parsed page (its document, or cheerio
 * wrapping it), from one walk over it.
 * `elements`: the page's elements in document order, when the parser listed them (parse.ts).
 */
export function extractMetadata(page: Document | CheerioAPI, dateRules: DateRules = defaultDateRules(), elements?: readonly Element[]): PageMetadata {
  const root = typeof page === 'function' ? page.root().get(0)! : page;
  const found = findElements(elements ?? elementsInOrder(root), dateRules);
  const ld = parseJsonLd(found.ldScripts.map((el) => textOf(el)));
  return { meta: metadataFrom(found, ld, dateRules), ld, body: found.body };
}

function metadataFrom(found: Found, ld: LdObject[], dateRules: DateRules): RawMetadata {
  const meta = collectMeta(found.metas);
  const article = findArticleObject(ld);
  const htmlTitle = textIn(found.title);
  const declared = declaredTitle(meta, article, htmlTitle);
  const siteNames = declaredSiteNames(meta, article, ld, [declared, htmlTitle]);
  const html = found.html?.attribs;
  // Priority order, not document order: a logo <h1> in the header often comes first.
  // A breadcrumb h1 is an SEO copy: the heading after it is the one shown, else the copy will do.
  const h1 = found.h1InArticle ?? found.h1InMain ?? found.headline ?? found.h1 ?? found.h2AfterCrumb ?? found.crumbH1;

  const og = firstMeta(meta, 'og:title', 'twitter:title');
  const jsonLd = ldString(article?.['headline']) ?? ldString(article?.['name']);
  const authors = declaredAuthors(meta, article, found.authors);
  const canonicalUrl = found.canonical?.attribs['href']?.trim() || null;

  const ldKeywords = article?.['keywords'];
  const tags = [
    ...(meta.get('article:tag') ?? []),
    ...(Array.isArray(ldKeywords) ? ldNames(ldKeywords) : (ldString(ldKeywords) ?? '').split(',')),
    ...(meta.get('news_keywords') ?? []).flatMap((k) => k.split(',')),
  ];

  return {
    htmlLang: html?.['lang'] ?? html?.['xml:lang'] ?? null,
    htmlDir: html?.['dir'] ?? found.body?.attribs['dir'] ?? null,
    canonicalUrl,
    ogUrl: firstMeta(meta, 'og:url'),
    titles: {
      og,
      jsonLd,
      meta: firstMeta(meta, 'title', 'dc.title', 'headline'),
      htmlTitle: htmlTitle || null,
      h1: headingText(h1, [og, jsonLd]) || null,
      crumbH1: textIn(found.crumbH1) || null,
      declared,
    },
    // Readability's order: the article's publisher, then og:site_name. (twitter:site is a handle, "@name".)
    siteName: siteNames[0] ?? null,
    siteNames,
    homeLinkNames: homeLinkNames(found.homeLinks, canonicalUrl ?? firstMeta(meta, 'og:url')),
    // Readability's byline check: under 100 characters of text.
    bylines: found.bylines.map(authorName).filter((t) => t.length > 0 && t.length < 100),
    description: firstMeta(meta, 'description', 'og:description', 'twitter:description') ?? ldString(article?.['description']),
    authors,
    dates: dateCandidates(found.dates, meta, article, h1, dateRules),
    section: firstMeta(meta, 'article:section') ?? ldString(article?.['articleSection']),
    tags: tags.map((t) => t.trim()).filter(Boolean),
    image: firstMeta(meta, 'og:image', 'og:image:url', 'twitter:image') ?? ldString(article?.['image']),
    types: [...(meta.get('og:type') ?? []).map((t) => t.toLowerCase()), ...ld.flatMap(ldTypes)],
    metaLang: firstMeta(meta, 'content-language', 'og:locale', 'language', 'dc.language'),
  };
}
