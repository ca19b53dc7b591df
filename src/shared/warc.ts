/**
 * WARC files (ISO 28500; what crawlers, wget --warc-file and Common Crawl
 * write) as extract's input: every HTML response record is a page, its URL
 * the record's WARC-Target-URI and its charset the archived HTTP headers'.
 * Read one record at a time (warc-frames.ts finds each record's bytes, so a
 * bad record is skipped and the next one read), each parsed by webrecorder's
 * warcio; a record's payload is read only up to input.maxBytes (a gzip bomb
 * inside a record is never inflated whole). A broken record (a lying
 * Content-Length, a corrupt member, a response that is not HTTP) is a
 * WARC_INVALID reject and the file reads on; a file that breaks off or is
 * not WARC is one WARC_INVALID reject after the pages read before.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { AsyncIterReader, WARCParser, type WARCRecord } from 'warcio';
import { NewscleanError } from './errors.js';
import type { ListedDate, RawPage, Reject } from './types.js';
import { type Frame, warcFrames } from './warc-frames.js';

/** Room for a record's WARC and HTTP headers above the payload cap. */
const HEADER_ALLOWANCE = 1 << 20;

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
export type WarcItem = { raw: RawPage } | { reject: Reject };

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
  if (record.warcType !== 'response') return null;
  const url = record.warcTargetURI ?? null;
  // A response to an http(s) URL whose block is not an HTTP response (a dns: or other scheme's record is simply not a page).
  if (/^https?:/i.test(url ?? '') && !/^HTTP\/\d/.test(record.httpHeaders?.statusline ?? '')) {
    return { reject: { source: url!, url: url!, code: 'WARC_INVALID', message: 'a response record whose block is not an HTTP response' } };
  }
  if (!record.httpHeaders) return null;
  const status = Number(record.httpHeaders.statusCode);
  if (status >= 300 && status < 400) chains.note(record);
  const contentType = record.httpHeaders.headers.get('content-type');
  if (!(status >= 200 && status < 300) || !contentType || !HTML_TYPE.test(contentType)) return null;
  const source = url ? chains.sourceOf(url) : '(no WARC-Target-URI)';
  // The archiving crawler kept only part of the body (past its size cap, or the connection broke): not the page.
  const truncated = record.warcHeader('WARC-Truncated');
  if (truncated) return { reject: { source, ...(url && { url }), code: truncated === 'length' ? 'TOO_LARGE' : 'TRUNCATED_BODY', message: `WARC record marked truncated (${truncated}): the archived body is not whole` } };
  const headers = record.httpHeaders.headers;
  const raw = await record.readFully(false);
  const bytes = await payloadOf(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), headers.get('transfer-encoding') ?? null, headers.get('content-encoding') ?? null, maxBytes);
  if (typeof bytes === 'string') return { reject: { source, ...(url && { url }), code: bytes === 'too-large' ? 'INPUT_TOO_LARGE' : 'WARC_INVALID', message: bytes === 'too-large' ? `WARC record payload larger than input.maxBytes (${maxBytes} bytes)` : `the archived payload does not decode (${headers.get('content-encoding')})` } };
  return { raw: { source, url, bytes, contentType, fetchedAt: record.warcDate ?? null } };
}

/**
 * The page's bytes from the payload as archived: de-chunked (wget keeps a
 * chunked body as sent) by warcio, then its content-encoding undone by
 * Node's zlib, never past maxBytes (a gzip bomb stops inside zlib).
 */
async function payloadOf(raw: Buffer, transfer: string | null, encoding: string | null, maxBytes: number): Promise<Buffer | 'too-large' | 'undecodable'> {
  const body = /chunked/i.test(transfer ?? '') ? Buffer.from(await new AsyncIterReader([raw], null, true).readFully()) : raw;
  const codec = (encoding ?? '').trim().toLowerCase();
  const opts = { maxOutputLength: maxBytes };
  try {
    const out =
      codec === 'gzip' || codec === 'x-gzip' ? gunzipSync(body, opts)
      : codec === 'br' ? brotliDecompressSync(body, opts)
      : codec === 'deflate' ? (body[0]! & 0x0f) === 8 ? inflateSync(body, opts) : inflateRawSync(body, opts) // zlib-wrapped, or raw as some servers send it
      : body;
    return out.length > maxBytes ? 'too-large' : out;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'undecodable';
  }
}

/** One framed record, parsed by warcio (its WARC and HTTP headers; the payload is read by pageOf). */
async function parseRecord(bytes: Buffer): Promise<WARCRecord | null> {
  // Already inflated: a reader that does not probe for gzip (warcio's default probes each record with pako).
  const parser = new WARCParser(new AsyncIterReader([bytes], null));
  for await (const record of parser) return record;
  return null;
}

/** A field of a record's header from its first bytes (the URL of a record that could not be read). */
const headField = (head: Buffer | undefined, name: string): string | undefined =>
  head ? new RegExp(`\\r\\n${name}:[ \\t]*([^\\r\\n]*)`, 'i').exec(head.toString('latin1', 0, 16 * 1024))?.[1]?.trim() : undefined;

/** A record that could not be read: a reject when it may have been a page (an HTML answer too large, or any broken record), else nothing. */
function badRecord(path: string, f: Extract<Frame, { kind: 'bad' }>, maxBytes: number): WarcItem | null {
  const url = headField(f.head, 'WARC-Target-URI');
  if (f.tooLarge) {
    const html = headField(f.head, 'WARC-Type') === 'response' && /\r\ncontent-type:[ \t]*(text\/html|application\/xhtml\+xml)/i.test(f.head?.toString('latin1', 0, 32 * 1024) ?? '');
    return html ? { reject: { source: url ?? path, ...(url && { url }), code: 'INPUT_TOO_LARGE', message: `WARC record payload larger than input.maxBytes (${maxBytes} bytes)` } } : null;
  }
  return { reject: { source: url ?? path, ...(url && { url }), code: 'WARC_INVALID', message: `${path}: the record at byte ${f.offset}: ${f.why}; the records after it are read` } };
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
  const chains = new RedirectChains();
  let records = 0;
  // A page is held until the next record is seen: a metadata record right after it may add to it.
  let held: { page: Extract<WarcItem, { raw: unknown }>; id: string } | null = null;
  const invalid = (why: string): WarcItem => {
    const e = new NewscleanError('WARC_INVALID', `${path}: ${records === 0 ? 'not a WARC file' : `broken after ${records} records`}: ${why}`);
    return { reject: { source: path, code: e.code, message: e.message } };
  };
  // Records a little larger than the payload cap are still read: their headers, and a payload the cap then judges.
  for await (const frame of warcFrames(path, opts.maxBytes + HEADER_ALLOWANCE)) {
    if (frame.kind === 'bad') {
      if (held) yield held.page;
      held = null;
      if (frame.fatal) return yield invalid(frame.why);
      const item = badRecord(path, frame, opts.maxBytes);
      if (item) yield item;
      continue;
    }
    const record = await parseRecord(frame.bytes).catch(() => null);
    if (!record || !record.warcType) {
      if (records === 0) return yield invalid('the first record is not a WARC record');
      yield { reject: { source: path, code: 'WARC_INVALID', message: `${path}: the record at byte ${frame.offset} is not a WARC record; the records after it are read` } };
      continue;
    }
    records++;
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
}
