/**
 * WARC files (ISO 28500; what crawlers, wget --warc-file and Common Crawl
 * write) as extract's input: every HTML response record is a page, its URL
 * the record's WARC-Target-URI and its charset the archived HTTP headers'.
 * Read as a stream, one record at a time, with webrecorder's warcio; a
 * record's payload is read only up to input.maxBytes (a gzip bomb inside a
 * record is never inflated whole). A file that breaks off or is not WARC
 * gives a WARC_INVALID reject, after the pages read before the break.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type ZlibOptions, createGunzip } from 'node:zlib';
import { WARCParser, type WARCRecord } from 'warcio';
import { NewscleanError } from './errors.js';
import type { ListedDate, RawPage, Reject } from './types.js';

/** Which records to take, for big archives (extract --url-pattern, --host, --since, --until): the rest are skipped unread. */
export interface WarcFilter {
  urlPattern?: RegExp | undefined;
  /** Host names (lower case); a record of any other host is skipped. */
  hosts?: readonly string[] | undefined;
  /** On WARC-Date: at or after `since`, before `until`. */
  since?: Date | null | undefined;
  until?: Date | null | undefined;
  /** Language subtags (`ar`, `fa`): pages of others are skipped before they are cleaned (applied by stages/read-inputs.ts, which can guess a language). */
  langs?: readonly string[] | undefined;
}

function wanted(record: WARCRecord, f: WarcFilter): boolean {
  const url = record.warcTargetURI ?? '';
  if (f.urlPattern && !f.urlPattern.test(url)) return false;
  if (f.hosts?.length) {
    let host = '';
    try {
      host = new URL(url).hostname.toLowerCase();
    } catch {
      return false;
    }
    if (!f.hosts.includes(host)) return false;
  }
  if (f.since || f.until) {
    const at = Date.parse(record.warcDate ?? '');
    if (!Number.isFinite(at) || (f.since && at < f.since.getTime()) || (f.until && at >= f.until.getTime())) return false;
  }
  return true;
}

/** A page of the file, or the reject a record (or the rest of the file) became. */
export type WarcItem = { raw: RawPage & { fetchedAt: string | null } } | { reject: Reject };

const HTML_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

/**
 * Redirects met so far (target → the URL first asked for), so a page reached
 * through redirects keeps that first URL as its `source`, as the crawl that
 * archived it gave it. Bounded: the oldest entries go first.
 */
class RedirectChains {
  private readonly origin = new Map<string, string>();
  constructor(private readonly max = 10_000) {}

  /** A 3xx response record: remember where it leads. */
  note(record: WARCRecord): void {
    const from = record.warcTargetURI;
    const location = record.httpHeaders?.headers.get('location');
    if (!from || !location) return;
    let to: string;
    try {
      to = new URL(location, from).href.replace(/#.*$/, '');
    } catch {
      return;
    }
    this.origin.set(to, this.origin.get(from) ?? from);
    if (this.origin.size > this.max) this.origin.delete(this.origin.keys().next().value!);
  }

  sourceOf(url: string): string {
    return this.origin.get(url) ?? url;
  }
}

/** The page of an HTML 2xx response record; null for every other record (warcinfo, request, metadata, images…). */
async function pageOf(record: WARCRecord, maxBytes: number, chains: RedirectChains): Promise<WarcItem | null> {
  if (record.warcType !== 'response' || !record.httpHeaders) return null;
  const status = Number(record.httpHeaders.statusCode);
  if (status >= 300 && status < 400) chains.note(record);
  const contentType = record.httpHeaders.headers.get('content-type');
  if (!(status >= 200 && status < 300) || !contentType || !HTML_TYPE.test(contentType)) return null;
  const url = record.warcTargetURI ?? null;
  const source = url ? chains.sourceOf(url) : '(no WARC-Target-URI)';
  // The archiving crawler kept only part of the body (past its size cap, or the connection broke): not the page.
  const truncated = record.warcHeader('WARC-Truncated');
  if (truncated) return { reject: { source, ...(url && { url }), code: truncated === 'length' ? 'TOO_LARGE' : 'TRUNCATED_BODY', message: `WARC record marked truncated (${truncated}): the archived body is not whole` } };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of record.contentReader) {
    size += chunk.length;
    if (size > maxBytes) return { reject: { source, ...(url && { url }), code: 'INPUT_TOO_LARGE', message: `WARC record payload larger than input.maxBytes (${maxBytes} bytes)` } };
    chunks.push(chunk);
  }
  return { raw: { source, url, bytes: Buffer.concat(chunks), contentType, fetchedAt: record.warcDate ?? null } };
}

const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * The file's bytes, gunzipped by Node's zlib when .gz (every member in turn,
 * as WARC writers put one record per member): several times faster than
 * warcio inflating them in JavaScript, and a member cut short is an error.
 */
function openStream(path: string, gz: boolean): Readable {
  // Large buffers: zlib inflates in libuv's thread pool, a few pages ahead, while this thread cleans the current one.
  const file = createReadStream(path, { highWaterMark: READ_AHEAD_BYTES });
  if (!gz) return file;
  // highWaterMark is the Transform stream's option (zlib passes it on; its typings list only zlib's own).
  const gunzip = createGunzip({ highWaterMark: READ_AHEAD_BYTES, chunkSize: 256 * 1024 } as ZlibOptions);
  file.on('error', (err) => gunzip.destroy(err));
  return file.pipe(gunzip);
}

/** A record header without WARC-Type or Content-Length is not WARC (a text file, or a header cut short). */
function checkHeader(record: WARCRecord): void {
  if (!record.warcType || record.warcHeaders.headers.get('Content-Length') === null) throw new Error('a record header without WARC-Type or Content-Length');
}

/** The listing date newsclean's crawl kept in a metadata record beside the response (warc-writer.ts), if that is what this record is. */
async function listedDateOf(record: WARCRecord, responseId: string): Promise<ListedDate | undefined> {
  if (record.warcType !== 'metadata' || !(record.warcConcurrentTo ?? []).includes(responseId)) return undefined;
  const fields = new Map<string, string>();
  for (const line of new TextDecoder().decode(await record.readFully()).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const at = fields.get('newsclean-listed-date');
  const from = fields.get('newsclean-listed-from');
  return at && (from === 'feed' || from === 'sitemap') ? { at, from } : undefined;
}

export async function* readWarc(path: string, opts: { maxBytes: number; filter?: WarcFilter | undefined }): AsyncGenerator<WarcItem> {
  const gz = /\.gz$/i.test(path);
  const size = (await stat(path)).size;
  const parser = new WARCParser(openStream(path, gz));
  const chains = new RedirectChains();
  let records = 0;
  let lastOffset = -1;
  // A page is held until the next record is seen: a metadata record right after it may add to it.
  let held: { page: Extract<WarcItem, { raw: unknown }>; id: string } | null = null;
  try {
    for await (const record of parser) {
      checkHeader(record);
      records++;
      lastOffset = parser.offset;
      if (held) {
        const listed = await listedDateOf(record, held.id);
        if (listed) held.page.raw.listed = listed;
        yield held.page;
        held = null;
      }
      const item = !opts.filter || wanted(record, opts.filter) ? await pageOf(record, opts.maxBytes, chains) : null;
      if (item && 'raw' in item) held = { page: item, id: record.warcHeader('WARC-Record-ID') ?? '' };
      else if (item) yield item;
    }
    if (held) yield held.page;
    // warcio ends quietly at a record cut short: a record was begun after the last one read whole.
    if (!gz && parser.offset > lastOffset && parser.offset < size) throw new Error(`truncated: a record at byte ${parser.offset} ends with the file`);
  } catch (err) {
    if (held) yield held.page; // read whole before the break
    const why = records === 0 ? 'not a WARC file' : `broken after ${records} records`;
    const e = new NewscleanError('WARC_INVALID', `${path}: ${why}: ${(err as Error).message}`, { cause: err });
    yield { reject: { source: path, code: e.code, message: e.message } };
  }
}
