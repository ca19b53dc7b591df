/**
 * Feed → article URLs, for RSS 2.0 (and 0.9x), RSS 1.0 / 0.90 (RDF), Atom 1.0
 * (and 0.3) and JSON Feed 1.x. The body says what it is; the Content-Type is
 * not trusted (servers send feeds as text/html, text/plain, octet-stream…).
 *
 * Only what discovery needs is read: the item URL, its title and its date.
 * Bodies (description, content:encoded, summary) are ignored: the crawl
 * fetches and cleans the page itself.
 */
import type { Element } from 'domhandler';
import { normalizeFeedDate } from './feed-dates.js';
import type { DiscoveredUrl } from './types.js';
import {
  NS,
  type NsTest,
  absoluteHttp,
  attr,
  baseOf,
  feedItemTitle,
  feedInvalid,
  firstRead,
  guard,
  hasPrefix,
  inNs,
  kid,
  kids,
  localName,
  nsOf,
  parseRoot,
  plainOr,
  resolveHttp,
  stripPreamble,
  xmlText,
  uniqueByUrl,
} from './xml.js';

/** RSS 2.0 has no namespace: an unprefixed element is RSS unless a default xmlns makes it Atom. */
const rss: NsTest = (el) => !hasPrefix(el) && nsOf(el) !== NS.atom;
const rdf: NsTest = plainOr(NS.rss1, NS.rss090);
/** Inside an Atom document unprefixed elements are Atom even when the xmlns is missing. */
const atom: NsTest = plainOr(NS.atom, NS.atom03);
/** Atom elements mixed into RSS (atom:link). */
const atomIn: NsTest = inNs(NS.atom, NS.atom03);
const dc: NsTest = inNs(NS.dc);

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const JSON_FEED_VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/i;

/** RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.x. Relative links resolve against baseUrl (and xml:base / Atom link base). Throws NewscleanError('FEED_INVALID') when the text is none of these, or is broken XML that yields nothing. */
export function parseFeed(text: string, baseUrl: string): DiscoveredUrl[] {
  return parseFeedChecked(text, baseUrl).items;
}

/**
 * parseFeed, saying whether the XML was well-formed: `problem` is the first
 * fault met (a download cut mid-item, a mismatched close tag), the items are
 * those that could be read before and around it (an item whose link the end
 * of input cut off is dropped). Broken XML that yields nothing throws FEED_INVALID.
 */
export function parseFeedChecked(text: string, baseUrl: string): { items: DiscoveredUrl[]; problem: string | null } {
  return guard(() => {
    const body = stripPreamble(text);
    if (body.startsWith('{')) return { items: parseJsonFeed(body, baseUrl), problem: null };
    const { root, problem } = parseRoot(body, ['rss', 'rdf', 'feed']);
    const items = xmlFeedItems(root, baseUrl);
    if (problem !== null && items.length === 0) throw feedInvalid(`Not well-formed XML and nothing readable: ${problem}.`);
    return { items, problem };
  });
}

function xmlFeedItems(root: Element, baseUrl: string): DiscoveredUrl[] {
  switch (localName(root)) {
    case 'rss':
      return uniqueByUrl(rssItems(root).map((item) => rssItem(item, baseUrl)));
    case 'rdf':
      return uniqueByUrl(kids(root, 'item', rdf).map((item) => rdfItem(item, baseUrl)));
    case 'feed':
      return uniqueByUrl(kids(root, 'entry', atom).map((entry) => atomEntry(entry, baseUrl)));
    default:
      throw feedInvalid(`Not a feed: the root element is <${root.name}>.`);
  }
}

/** Items belong in <channel>, but some generators put them beside it. */
function rssItems(root: Element): Element[] {
  return [...kids(root, 'channel', rss).flatMap((channel) => kids(channel, 'item', rss)), ...kids(root, 'item', rss)];
}

/** RSS 2.0 item: <link>, else a permalink <guid>, else atom:link. */
function rssItem(item: Element, baseUrl: string): DiscoveredUrl | null {
  const url =
    textUrl(kids(item, 'link', rss), baseUrl) ?? guidUrl(item) ?? atomLinkUrl(kids(item, 'link', atomIn), baseUrl);
  if (url === null) return null;
  return {
    url,
    published: itemDate(item, [['pubdate', rss], ['date', dc], ['published', atomIn], ['updated', atomIn]]),
    title: titleOf(item, [['title', rss], ['title', dc]]),
    via: 'feed',
  };
}

/** RSS 1.0 item: <link>, else its rdf:about (which RSS 1.0 requires to be the item URI). */
function rdfItem(item: Element, baseUrl: string): DiscoveredUrl | null {
  const about = Object.entries(item.attribs).find(([name]) => name === 'about' || name.endsWith(':about'))?.[1];
  const url = textUrl(kids(item, 'link', rdf), baseUrl) ?? resolveHttp(about, baseOf(item, baseUrl));
  if (url === null) return null;
  return {
    url,
    published: itemDate(item, [['date', dc], ['pubdate', rdf]]),
    title: titleOf(item, [['title', rdf], ['title', dc]]),
    via: 'feed',
  };
}

/** Atom entry: its alternate link, else an <id> that is itself an http(s) URL (WordPress "?p=123"). */
function atomEntry(entry: Element, baseUrl: string): DiscoveredUrl | null {
  const url = atomLinkUrl(kids(entry, 'link', atom), baseUrl) ?? absoluteHttp(xmlText(kid(entry, 'id', atom)));
  if (url === null) return null;
  return {
    url,
    published: itemDate(entry, [['published', atom], ['updated', atom], ['issued', atom], ['modified', atom], ['date', dc]]),
    title: atomTitle(kid(entry, 'title', atom)),
    via: 'feed',
  };
}

/** First element whose text is a usable URL, resolved against its xml:base. */
function textUrl(els: Element[], baseUrl: string): string | null {
  for (const el of els) {
    const url = resolveHttp(xmlText(el), baseOf(el, baseUrl));
    if (url !== null) return url;
  }
  return null;
}

/** A guid is the permalink unless isPermaLink="false". Never resolved: a relative guid is just an id. */
function guidUrl(item: Element): string | null {
  for (const guid of kids(item, 'guid', rss)) {
    if (attr(guid, 'isPermaLink')?.trim().toLowerCase() === 'false') continue;
    const url = absoluteHttp(xmlText(guid));
    if (url !== null) return url;
  }
  return null;
}

/** rel="alternate" (the default) only: enclosure, self, edit, replies… are not the article. */
function atomLinkUrl(links: Element[], baseUrl: string): string | null {
  const alternates = links.filter((link) => {
    const rel = attr(link, 'rel')?.trim().toLowerCase() || 'alternate';
    return rel === 'alternate' || rel === 'http://www.iana.org/assignments/relation/alternate';
  });
  for (let rank = 0; rank <= 2; rank++) {
    for (const link of alternates) {
      if (linkRank(link) !== rank) continue;
      const url = resolveHttp(attr(link, 'href'), baseOf(link, baseUrl));
      if (url !== null) return url;
    }
  }
  return null;
}

/** 0: an HTML page, 1: untyped, 2: some other type (audio, PDF…) that is still the alternate. */
function linkRank(link: Element): number {
  const type = attr(link, 'type')?.split(';')[0]?.trim().toLowerCase();
  if (!type) return 1;
  return HTML_TYPES.has(type) ? 0 : 2;
}

/** Atom titles say how they are written: type="html" is escaped markup, "xhtml" is inline markup, else text. */
function atomTitle(el: Element | undefined): string | null {
  if (!el) return null;
  const type = attr(el, 'type')?.trim().toLowerCase();
  return feedItemTitle(xmlText(el), type === 'html' || type === 'text/html');
}

/** RSS titles are text by the spec but HTML in practice: markup is dropped. */
function titleOf(item: Element, pairs: Array<[string, NsTest]>): string | null {
  return firstRead(item, pairs, (text) => feedItemTitle(text, true));
}

/** The first date in the priority list that parses. */
function itemDate(item: Element, pairs: Array<[string, NsTest]>): string | null {
  return firstRead(item, pairs, normalizeFeedDate);
}

function parseJsonFeed(body: string, baseUrl: string): DiscoveredUrl[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw feedInvalid('Not a feed: invalid JSON.');
  }
  if (!isRecord(data) || typeof data.version !== 'string' || !JSON_FEED_VERSION.test(data.version.trim())) {
    throw feedInvalid('Not a feed: JSON without a JSON Feed version.');
  }
  const items: unknown[] = Array.isArray(data.items) ? data.items : [];
  return uniqueByUrl(items.map((item) => jsonItem(item, baseUrl)));
}

/** JSON Feed item: url, else external_url (link posts), else an id that is an http(s) URL. */
function jsonItem(item: unknown, baseUrl: string): DiscoveredUrl | null {
  if (!isRecord(item)) return null;
  const url =
    resolveHttp(str(item.url), baseUrl) ?? resolveHttp(str(item.external_url), baseUrl) ?? absoluteHttp(str(item.id));
  if (url === null) return null;
  return {
    url,
    published: normalizeFeedDate(str(item.date_published)) ?? normalizeFeedDate(str(item.date_modified)),
    title: feedItemTitle(str(item.title) ?? '', false),
    via: 'feed',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
