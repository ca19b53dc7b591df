/**
 * A sitemap read as a stream: text goes in by chunks, each <url> or
 * <sitemap> entry comes out as soon as it ends. Nothing but the entry being
 * read is held (plus the URLs seen, to drop repeats), so a 50 000-URL, 50 MB
 * sitemap costs its raw bytes and the items, not a decoded string and a tree.
 *
 * It reads what the tree-based parser read: the urlset / sitemapindex root
 * (found behind junk like a PHP warning), loc (against xml:base), lastmod,
 * Google News news:publication_date and news:title, namespaces declared,
 * misspelt or missing; and plain-text sitemaps, one URL per line.
 */
import { normalizeFeedDate } from './feed-dates.js';
import type { DiscoveredUrl } from './types.js';
import { NS, USUAL_PREFIXES, absoluteHttp, feedItemTitle, feedInvalid, resolveHttp } from './xml.js';
import { type XmlEvents, XmlStream } from './xml-stream.js';

export interface ChildSitemap { url: string; lastmod: string | null }

/** Where the entries go, in document order (repeats already dropped). */
export interface SitemapSink {
  url(item: DiscoveredUrl): void;
  sitemap(child: ChildSitemap): void;
}

/** What a finished read says: entries yielded, and the well-formedness problem met (null: none). */
export interface SitemapSummary { urls: number; sitemaps: number; problem: string | null }

const ROOTS = new Set(['urlset', 'sitemapindex']);
const CORE = new Set<string>([NS.sitemap, NS.googleSitemap]);

type Field = 'loc' | 'lastmod' | 'publication_date' | 'title';

/** One <url> / <sitemap> being read. Each field is the text of its first element (as the tree parser read them). */
interface Entry {
  fields: Partial<Record<Field, string>>;
  locBase: string;
  /** The loc element ended before the input did: its URL is whole. */
  locWhole: boolean;
  inNews: boolean;
  newsSeen: boolean;
}

/** Element frame: only what namespace and xml:base lookups need, kept for the few levels a sitemap has. */
interface Frame { attribs: Readonly<Record<string, string>>; base: string }

/** How deep an element can be and still matter: root 0, entry 1, loc/lastmod/news 2, news children 3. */
const MAX_DEPTH = 3;

export class SitemapStream {
  private mode: 'sniff' | 'xml' | 'text' = 'sniff';
  private readonly xml = new XmlStream(this.xmlEvents());
  private readonly lines = new TextSitemap();
  private readonly seen = new Set<string>();
  private readonly frames: Frame[] = [];
  private root: 'urlset' | 'sitemapindex' | null = null;
  private rootEnded = false;
  private firstTop: string | null = null;
  private entry: Entry | null = null;
  private capture: { field: Field; depth: number; parts: string[] } | null = null;
  private urls = 0;
  private sitemaps = 0;

  constructor(private readonly baseUrl: string, private readonly sink: SitemapSink) {}

  write(chunk: string): void {
    if (this.mode === 'sniff') {
      // Like stripPreamble: a BOM and leading whitespace say nothing; the first other character picks XML or text.
      const body = chunk.replace(/^[\uFEFF\s]+/, '');
      if (body === '') return;
      this.mode = body.startsWith('<') ? 'xml' : 'text';
      chunk = body;
    }
    if (this.mode === 'xml') this.xml.write(chunk);
    else this.lines.write(chunk, (url) => this.emitUrl({ url, published: null, title: null, via: 'sitemap' }));
  }

  /** Finish; throws FEED_INVALID when the body is not a sitemap, or is broken and yielded nothing. */
  end(): SitemapSummary {
    if (this.mode === 'text' || this.mode === 'sniff') {
      this.lines.end((url) => this.emitUrl({ url, published: null, title: null, via: 'sitemap' }));
      if (this.lines.urlLines === 0 || this.lines.notUrls > this.lines.urlLines) throw feedInvalid('Not a sitemap: neither XML nor a list of URLs.');
      return { urls: this.urls, sitemaps: 0, problem: null };
    }
    this.xml.end();
    if (this.root === null) {
      if (this.firstTop !== null) throw feedInvalid(`Not a sitemap: the root element is <${this.firstTop}>.`);
      throw feedInvalid('No XML root element (empty, truncated or not XML).');
    }
    const problem = this.xml.problem;
    if (problem !== null && this.urls + this.sitemaps === 0) throw feedInvalid(`Not well-formed XML and nothing readable: ${problem}.`);
    return { urls: this.urls, sitemaps: this.sitemaps, problem };
  }

  private xmlEvents(): XmlEvents {
    return {
      open: (name, attribs, depth) => this.onOpen(name, attribs, depth),
      text: (data) => this.capture?.parts.push(data),
      close: (depth, cut) => this.onClose(depth, cut),
    };
  }

  private onOpen(name: string, attribs: Readonly<Record<string, string>>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    if (depth === 0) {
      this.firstTop ??= name;
      if (this.root !== null || this.rootEnded) return;
      const local = localOf(name);
      if (ROOTS.has(local)) this.root = local as 'urlset' | 'sitemapindex';
    }
    this.frames.length = depth;
    this.frames.push({ attribs, base: this.baseAt(attribs, depth) });
    if (this.root === null || this.rootEnded || depth === 0) return;
    const local = localOf(name);
    if (depth === 1) {
      if (local === (this.root === 'urlset' ? 'url' : 'sitemap') && this.isCore(name, depth)) {
        this.entry = { fields: {}, locBase: this.baseUrl, locWhole: false, inNews: false, newsSeen: false };
      }
      return;
    }
    const entry = this.entry;
    if (!entry || this.capture) return;
    if (depth === 2) this.openEntryChild(entry, name, local, depth);
    else if (depth === 3 && entry.inNews && (local === 'publication_date' || local === 'title') && entry.fields[local] === undefined && this.isNews(name, depth)) {
      this.capture = { field: local, depth, parts: [] };
    }
  }

  /** loc, lastmod (sitemaps.org namespace or none), news:news (Google News): the first of each. */
  private openEntryChild(entry: Entry, name: string, local: string, depth: number): void {
    if ((local === 'loc' || local === 'lastmod') && entry.fields[local] === undefined && this.isCore(name, depth)) {
      this.capture = { field: local, depth, parts: [] };
      if (local === 'loc') entry.locBase = this.frames[depth]!.base;
    } else if (local === 'news' && this.root === 'urlset' && !entry.newsSeen && this.isNews(name, depth)) {
      entry.newsSeen = true;
      entry.inNews = true;
    }
  }

  private onClose(depth: number, cut: boolean): void {
    if (depth > MAX_DEPTH) return;
    const entry = this.entry;
    if (this.capture?.depth === depth) {
      const { field, parts } = this.capture;
      this.capture = null;
      if (entry) {
        entry.fields[field] = cut ? '' : parts.join(''); // text cut off by the end of input is not trusted
        if (field === 'loc') entry.locWhole = !cut;
      }
    } else if (depth === 2 && entry?.inNews) entry.inNews = false;
    else if (depth === 1 && entry) {
      this.entry = null;
      if (entry.locWhole) this.emitEntry(entry);
    } else if (depth === 0 && this.root !== null) this.rootEnded = true;
  }

  private emitEntry(entry: Entry): void {
    const url = resolveHttp(entry.fields.loc, entry.locBase);
    if (url === null) return;
    const lastmod = normalizeFeedDate(entry.fields.lastmod);
    if (this.root === 'sitemapindex') {
      if (this.seen.has(url)) return;
      this.seen.add(url);
      this.sitemaps++;
      this.sink.sitemap({ url, lastmod });
      return;
    }
    // Dated by news:publication_date (when the story ran), else lastmod (when the page last changed).
    const published = normalizeFeedDate(entry.fields.publication_date) ?? lastmod;
    this.emitUrl({ url, published, title: feedItemTitle(entry.fields.title ?? '', false), via: 'sitemap' });
  }

  private emitUrl(item: DiscoveredUrl): void {
    if (this.seen.has(item.url)) return;
    this.seen.add(item.url);
    this.urls++;
    this.sink.url(item);
  }

  /** The document URL, then every xml:base from the root down (as baseOf in xml.ts). */
  private baseAt(attribs: Readonly<Record<string, string>>, depth: number): string {
    const parent = depth === 0 ? this.baseUrl : (this.frames[depth - 1]?.base ?? this.baseUrl);
    const own = attribs['xml:base'];
    return own === undefined ? parent : (resolveHttp(own.trim(), parent, true) ?? parent);
  }

  /** Sitemap elements: unprefixed (whatever the xmlns, often misspelt or missing), or a prefix bound to a sitemap namespace. */
  private isCore(name: string, depth: number): boolean {
    const i = name.indexOf(':');
    return i < 0 || CORE.has(this.nsOfPrefix(name.slice(0, i), depth));
  }

  private isNews(name: string, depth: number): boolean {
    const i = name.indexOf(':');
    return this.nsOfPrefix(i < 0 ? '' : name.slice(0, i), depth) === NS.news;
  }

  /** The namespace a prefix is bound to at `depth`: the nearest xmlns declaration, else the usual binding of well-known prefixes. */
  private nsOfPrefix(prefix: string, depth: number): string {
    const key = prefix ? `xmlns:${prefix}` : 'xmlns';
    for (let d = depth; d >= 0; d--) {
      const uri = this.frames[d]?.attribs[key];
      if (uri !== undefined) return uri.trim();
    }
    return prefix ? (USUAL_PREFIXES[prefix.toLowerCase()] ?? `undeclared:${prefix}`) : '';
  }
}

/** Local name, lowercased (sitemaps in the wild get the case wrong). */
function localOf(name: string): string {
  const i = name.indexOf(':');
  return (i < 0 ? name : name.slice(i + 1)).toLowerCase();
}

/**
 * Plain-text sitemap lines: one absolute URL per line, never resolved. Lines
 * that are not URLs are counted: a body where most lines are not URLs is some
 * other text (an error page, a stray JSON body), not a sitemap.
 */
class TextSitemap {
  urlLines = 0;
  notUrls = 0;
  private partial = '';

  write(chunk: string, onUrl: (url: string) => void): void {
    const lines = (this.partial + chunk).split(/\r\n|\r|\n/);
    // The last piece may go on in the next chunk. ("\r\n" split across chunks makes an empty line: skipped.)
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line, onUrl);
  }

  end(onUrl: (url: string) => void): void {
    this.line(this.partial, onUrl);
    this.partial = '';
  }

  private line(raw: string, onUrl: (url: string) => void): void {
    const line = raw.trim();
    if (line === '') return;
    const url = absoluteHttp(line);
    if (url === null) return void this.notUrls++;
    this.urlLines++;
    onUrl(url);
  }
}
