/**
 * The data that flows between stages. Each stage is a function from one of
 * these shapes to the next:
 *
 *   fetch      → RawPage        (bytes + where they came from)
 *   fetch      → DecodedPage    (bytes decoded to a string, charset known)
 *   clean      → CleanedPage    (article blocks + raw metadata, one parse)
 *   normalize  → Article        (faithful text, standard metadata)
 *   export     → ArticleRecord  (schema v1, one JSON line)
 */

/** Where a web archive (WARC) keeps a fetched page's response: the file and the byte range of its record's gzip member. */
export interface WarcPosition {
  file: string;
  offset: number;
  length: number;
}

/** A date a feed or sitemap gave for a URL it listed (ISO 8601 or as the feed wrote it). */
export interface ListedDate { at: string; from: 'feed' | 'sitemap' }

/** Bytes of one input, before decoding. */
export interface RawPage {
  /** Input path or URL, as the user gave it. */
  source: string;
  /** URL the page was fetched from, when known. */
  url: string | null;
  bytes: Buffer;
  /** Content-Type header value, when the page came over HTTP. */
  contentType?: string | null;
  /** The date the feed or sitemap that listed the page gave: published_at when the page gives none (a crawl, or a crawl's WARC). */
  listed?: ListedDate | undefined;
  /** When the page was fetched (a WARC record's WARC-Date), if not just now: relative dates ("3 hours ago") count from it, and no date may be later. */
  fetchedAt?: string | null;
}

export interface DecodedPage {
  source: string;
  url: string | null;
  html: string;
  /** WHATWG label of the encoding actually used (e.g. "utf-8", "windows-1256"). */
  encoding: string;
  /** How the encoding was chosen. */
  /** 'utf8-valid': a <meta> named a legacy charset, but the bytes are valid UTF-8 (a page saved and re-encoded). */
  /** 'detected': nothing declared and the bytes are not UTF-8, so the charset was guessed (chardet). */
  encodingSource: 'bom' | 'header' | 'meta' | 'utf8-valid' | 'detected' | 'default';
}

/** One paragraph-level unit of article text, in page order. */
export interface TextBlock {
  kind: 'p' | 'heading' | 'li' | 'quote' | 'pre' | 'table';
  text: string;
}

/**
 * Where a date candidate was found. The normalize stage tries them in this
 * order, with dates in the URL path between 'time' and 'text':
 * 'time' is a <time> in the headline's article, 'loose-time' one elsewhere,
 * 'text' a dateline element's text.
 */
export type DateSource = 'json-ld' | 'meta' | 'itemprop' | 'time' | 'text' | 'loose-time';
/** Where a record's published_at came from: a candidate source, the URL path, or a value the producer gave (a text dump's dateline). */
/** Where published_at came from: the page (DateSource), its URL path, the producer of a text dump, or (crawls) the feed or sitemap that listed it. */
export type DateOrigin = DateSource | 'url' | 'given' | 'feed' | 'sitemap';

export interface DateCandidate {
  /** The value as found (ISO, a CMS's own format, or visible text). */
  value: string;
  source: DateSource;
}

/** Metadata as found in the page, before any normalization. */
export interface RawMetadata {
  htmlLang: string | null;
  htmlDir: string | null;
  canonicalUrl: string | null;
  ogUrl: string | null;
  /**
   * Candidate titles by source. `declared`: the first title declared in
   * metadata, in Readability's order (JSON-LD article headline, dc:title, og:title, twitter:title…).
   * `h1`: the headline the article shows, less a kicker; `crumbH1`: an h1 that is a breadcrumb item.
   */
  titles: { og: string | null; jsonLd: string | null; meta: string | null; htmlTitle: string | null; h1: string | null; declared?: string | null; crumbH1?: string | null };
  siteName: string | null;
  /** Every declared site name (JSON-LD publisher, og:site_name, application-name), for title clean-up. */
  siteNames?: string[];
  /** Text (or image alt) of links to the site's home page: the logo, usually the site's name. */
  homeLinkNames?: string[];
  /** Text of byline elements (class/id byline, author, dateline…), page order; authors when nothing is declared. */
  bylines?: string[];
  /** What short source lines credit ("Source: Reuters" → "Reuters"); read for an agency only. */
  credits?: string[];
  description: string | null;
  authors: string[];
  /** Date candidates by role, as found; src/stages/clean/date-candidates.ts lists the sources. */
  dates?: { published: DateCandidate[]; modified: DateCandidate[] };
  /**
   * One date value whose role the producer already knows, for producers that
   * build no candidate lists (a text dump's dateline). Tried after `dates`.
   */
  publishedAt?: string | null;
  modifiedAt?: string | null;
  section: string | null;
  tags: string[];
  image: string | null;
  /** og:type / JSON-LD @type, lower-cased, for article-vs-front-page decisions. */
  types: string[];
  metaLang: string | null;
}

export type BodySource = 'selector' | 'site-rule' | 'density' | 'json-ld' | 'script' | 'none';

export interface CleanedPage {
  source: string;
  url: string | null;
  blocks: TextBlock[];
  meta: RawMetadata;
  /** Which signal delivered the article body (kept for debugging and benchmarks). */
  bodySource: BodySource;
  /** The rule selector that matched, when bodySource is 'selector'. */
  bodySelector?: string | null;
  /** Share of the page's visible text taken as article, 0..1. */
  coverage: number;
  /** The page's links (absolute, page order), when the caller asked for them. */
  links?: string[] | undefined;
}

/** A normalized article, ready for export. */
export interface Article {
  source: string;
  url: string | null;
  canonicalUrl: string | null;
  siteName: string | null;
  title: string | null;
  authors: string[];
  /** A news agency credited for the story (Reuters, AP, «وكالات»): not an author. */
  sourceAgency: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  /** Where publishedAt came from. */
  dateSource?: DateOrigin | null;
  lang: string | null;
  dir: 'rtl' | 'ltr';
  description: string | null;
  section: string | null;
  tags: string[];
  image: string | null;
  paragraphs: string[];
  /** The paragraphs in search form (config normalize.fold), null when folding is off. */
  foldedParagraphs: string[] | null;
}

/** Schema v1 record: see docs/record.schema.json. */
export interface ArticleRecord {
  schema_version: 1;
  id: string;
  source: string;
  url: string | null;
  canonical_url: string | null;
  site_name: string | null;
  title: string | null;
  authors: string[];
  source_agency: string | null;
  published_at: string | null;
  modified_at: string | null;
  /** Where published_at came from ('url': only the URL path gave it). */
  date_source: DateOrigin | null;
  lang: string | null;
  dir: 'rtl' | 'ltr';
  description: string | null;
  section: string | null;
  tags: string[];
  image: string | null;
  text: string;
  /** Present only when config normalize.fold is on. */
  text_folded?: string;
  word_count: number;
  content_hash: string;
  /** 1, raised when a later run finds the page's text changed (src/run/ledger.ts). */
  version: number;
  previous_hash: string | null;
  /** id of the first article with exactly this text at another URL. */
  duplicate_of: string | null;
  /** id of the first article of this story's near-duplicate cluster. */
  cluster_id: string | null;
  extracted_at: string;
  extractor: { name: string; version: string };
  /** Crawls with --warc: where the page's response is archived. */
  warc?: WarcPosition;
}

/** An input that produced no article. */
export interface Reject {
  source: string;
  /** The URL asked for, for fetched inputs. */
  url?: string;
  code: string;
  message: string;
  /** HTTP requests made for it, for fetched inputs. */
  attempts?: number;
}

/** A run's counters as a progress display reads them (src/progress.ts), taken on each redraw. */
export interface ProgressSnapshot {
  discovered: number; fetched: number; articles: number; rejects: number;
  unchanged: number; known: number; deferred: number; skipped: number;
}
