/**
 * Small XML helpers shared by the feed and sitemap parsers: a forgiving,
 * linear-time parse (./xml-tree.ts, never throws on broken markup), namespace-aware
 * child lookup, text, xml:base and URL resolution.
 *
 * Everything walks only the few levels a feed or sitemap has and reads text
 * iteratively, so huge or absurdly nested input stays linear and cannot
 * overflow the stack.
 */
import { type AnyNode, type Element, isTag, isText } from 'domhandler';
import { isHttp, parseUrl } from '../../../shared/url.js';
import { decodeHTMLStrict } from 'entities';
import { NewscleanError, toNewscleanError } from '../../../shared/errors.js';
import { isCutOff, parseXmlTreeChecked } from './xml-tree.js';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  googleSitemap: 'http://www.google.com/schemas/sitemap/0.9',
  news: 'http://www.google.com/schemas/sitemap-news/0.9',
} as const;

/** Prefixes feeds use without declaring them (invalid XML, but common). */
export const USUAL_PREFIXES: Record<string, string> = { atom: NS.atom, dc: NS.dc, rdf: NS.rdf, news: NS.news };

/** Decides whether an element belongs to the vocabulary a lookup wants. */
export type NsTest = (el: Element) => boolean;

export function feedInvalid(message: string): NewscleanError {
  return new NewscleanError('FEED_INVALID', message);
}

/** Run a parser; anything unexpected it throws becomes FEED_INVALID (garbage must never crash a crawl). */
export function guard<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw toNewscleanError(err, 'FEED_INVALID');
  }
}

/** Drop a UTF-8 BOM and the whitespace some servers print before the XML declaration. */
export function stripPreamble(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trimStart();
}

/**
 * The document element: the first top-level element with one of the `known`
 * local names, else the first element. Declarations, comments and doctype
 * are skipped, and so is junk printed before the root, like a PHP warning
 * ("<br />\n<b>Warning</b>: … on line <b>12</b><br />") ahead of <rss>.
 */
export function parseRoot(text: string, known: readonly string[]): { root: Element; problem: string | null } {
  const { doc, problem } = parseXmlTreeChecked(text);
  const tops = doc.children.filter(isTag);
  const root = tops.find((el) => known.includes(localName(el))) ?? tops[0];
  if (!root) throw feedInvalid('No XML root element (empty, truncated or not XML).');
  return { root, problem };
}

/** Local names by raw tag name: a feed repeats a handful of names thousands of times. */
const localNames = new Map<string, string>();

/** Local name, lowercased: feeds in the wild get the case wrong ("pubdate"). */
export function localName(el: Element): string {
  let local = localNames.get(el.name);
  if (local === undefined) {
    const i = el.name.indexOf(':');
    local = copyOf((i < 0 ? el.name : el.name.slice(i + 1)).toLowerCase());
    if (localNames.size >= 1000) localNames.clear(); // garbage with endless distinct names must not grow it
    localNames.set(copyOf(el.name), local);
  }
  return local;
}

/**
 * A string of its own. Tag names are sliced from the document, and V8 keeps a
 * slice of 13+ characters ("news:publication_date") as a pointer into the
 * whole parent string: cached for good, it would keep a 50 MB feed alive.
 */
function copyOf(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

export function hasPrefix(el: Element): boolean {
  return el.name.includes(':');
}

/** Namespace URI of an element ('' when unprefixed with no default namespace). */
export function nsOf(el: Element): string {
  const i = el.name.indexOf(':');
  const prefix = i < 0 ? '' : el.name.slice(0, i);
  const key = prefix ? `xmlns:${prefix}` : 'xmlns';
  for (let n: AnyNode | null = el; n && isTag(n); n = n.parent) {
    const uri = n.attribs[key];
    if (uri !== undefined) return uri.trim();
  }
  return prefix ? (USUAL_PREFIXES[prefix.toLowerCase()] ?? `undeclared:${prefix}`) : '';
}

/** Element is in one of these namespaces. */
export function inNs(...uris: string[]): NsTest {
  return (el) => uris.includes(nsOf(el));
}

/** Element is unprefixed (whatever the default namespace says) or in one of these namespaces. */
export function plainOr(...uris: string[]): NsTest {
  return (el) => !hasPrefix(el) || uris.includes(nsOf(el));
}

export function kids(parent: Element, local: string, test: NsTest): Element[] {
  return parent.children.filter((c): c is Element => isTag(c) && localName(c) === local && test(c));
}

export function kid(parent: Element | undefined, local: string, test: NsTest): Element | undefined {
  return parent?.children.find((c): c is Element => isTag(c) && localName(c) === local && test(c));
}

/** Attribute by name, ignoring case (isPermaLink / ispermalink). */
export function attr(el: Element, name: string): string | undefined {
  const exact = el.attribs[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  const key = Object.keys(el.attribs).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : el.attribs[key];
}

/** All text below a node (CDATA included), read without recursion. '' for an element the end of input cut off: its text may be cut (a URL missing its end). */
export function xmlText(node: Element | undefined): string {
  if (!node || isCutOff(node)) return '';
  const out: string[] = [];
  const stack: AnyNode[] = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (isText(n)) out.push(n.data);
    else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as AnyNode);
  }
  return out.join('');
}

/**
 * Walk a priority list of (name, namespace) pairs over the children and
 * return the first text that `read` accepts (a garbage pubDate falls back to
 * dc:date, an empty title to dc:title…).
 */
export function firstRead<T>(parent: Element, pairs: Array<[string, NsTest]>, read: (text: string) => T | null): T | null {
  for (const [local, test] of pairs) {
    for (const child of parent.children) {
      if (!isTag(child) || localName(child) !== local || !test(child)) continue;
      const value = read(xmlText(child));
      if (value !== null) return value;
    }
  }
  return null;
}

/**
 * A title as plain text. `html`: the text is HTML source (RSS titles often
 * are, Atom type="html" always is), so tags go. Entities are decoded once
 * more because feeds often escape twice ("&amp;amp;", "&amp;#8217;").
 */
export function feedItemTitle(raw: string, html: boolean): string | null {
  const text = html ? raw.replace(/<\/?[a-zA-Z][^<>]*>/g, ' ') : raw;
  const clean = decodeHTMLStrict(text).replace(/\s+/g, ' ').trim();
  return clean === '' ? null : clean;
}

/** Base URL in effect at an element: the document URL, then every xml:base from the root down. */
export function baseOf(el: Element, docBase: string): string {
  const bases: string[] = [];
  for (let n: AnyNode | null = el; n && isTag(n); n = n.parent) {
    const b = n.attribs['xml:base'];
    if (b !== undefined) bases.push(b.trim());
  }
  let base = docBase;
  for (let i = bases.length - 1; i >= 0; i--) base = resolveHttp(bases[i], base, true) ?? base;
  return base;
}

/** Resolve a link to an absolute http(s) URL; null when invalid or another scheme (javascript:, mailto:…). */
export function resolveHttp(raw: string | undefined, base: string, anyScheme = false): string | null {
  const value = raw?.trim();
  if (!value) return null;
  const url = parseUrl(value, base) ?? parseUrl(value);
  if (!url) return null;
  return anyScheme || isHttp(url) ? url.href : null;
}

/** An already absolute http(s) URL (guids, ids, plain-text sitemap lines: never resolved). */
export function absoluteHttp(raw: string | undefined): string | null {
  const value = raw?.trim();
  return value && /^https?:\/\//i.test(value) ? resolveHttp(value, value) : null;
}

/** Entries without a URL dropped, repeats dropped (the first one wins). */
export function uniqueByUrl<T extends { url: string }>(entries: Array<T | null>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const entry of entries) {
    if (!entry || seen.has(entry.url)) continue;
    seen.add(entry.url);
    out.push(entry);
  }
  return out;
}
