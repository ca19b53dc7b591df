/**
 * Writing web archives (WARC/1.1, one gzip member per record, as Common
 * Crawl writes them) with webrecorder's warcio: a `warcinfo` record opens
 * each file, each HTTP exchange is a `request` + `response` pair (a 304 is a
 * `revisit`), with WARC-Target-URI, WARC-Date, WARC-IP-Address and sha1
 * base32 block and payload digests. Files are append-only, named
 * `<prefix>-<YYYYMMDDhhmmss>-<serial>.warc.gz`, and roll over before passing
 * `maxBytes`. Each write returns where its response record is, so a record
 * can point a reader straight at it.
 *
 * Not yet wired to the crawl's fetches (issue 23 goes on): this is the
 * writer and its guarantees; `newsclean extract` reads what it writes.
 */
import { open, type FileHandle, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { WARCRecord } from 'warcio';

/** warcio, loaded when a writer opens (the export stage is loaded by every extract; most never write a WARC). */
type Warcio = typeof import('warcio');

export interface WarcExchange {
  url: string;
  date: Date;
  /** The server's address, when known. */
  ip: string | null;
  request: { method: string; headers: Record<string, string> };
  response: { status: number; statusText: string; headers: Record<string, string>; body: Buffer };
}

/** Where a record is: the file and the byte range of its gzip member. */
export interface WarcPosition { file: string; offset: number; length: number }

export interface WarcWriter {
  /** Append one exchange; resolves with the position of its response (or revisit) record. */
  write(x: WarcExchange): Promise<WarcPosition>;
  close(): Promise<void>;
}

export interface WarcWriterOptions {
  prefix: string;
  /** Roll over to a new file before this size (default 1 GB). */
  maxBytes?: number;
  /** The warcinfo record's fields (software, settings…). */
  info: Record<string, string>;
}

const DIGEST = { algo: 'sha-1', prefix: 'sha1:', base32: true } as const;
const stamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const serialize = async (w: Warcio, record: WARCRecord): Promise<Buffer> => Buffer.from(await w.WARCSerializer.serialize(record, { gzip: true, digest: DIGEST }));

function recordsOf({ WARCRecord }: Warcio, x: WarcExchange): WARCRecord[] {
  const url = new URL(x.url);
  const date = x.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const warcHeaders: Record<string, string> = x.ip ? { 'WARC-IP-Address': x.ip } : {};
  const request = WARCRecord.create(
    { url: x.url, date, type: 'request', warcVersion: 'WARC/1.1', warcHeaders, statusline: `${x.request.method} ${url.pathname}${url.search} HTTP/1.1`, httpHeaders: { Host: url.host, ...x.request.headers } },
    once(new Uint8Array()),
  );
  const statusline = `HTTP/1.1 ${x.response.status} ${x.response.statusText}`;
  const response =
    x.response.status === 304
      ? WARCRecord.create({ url: x.url, date, type: 'revisit', warcVersion: 'WARC/1.1', warcHeaders: { ...warcHeaders, 'WARC-Profile': 'http://netpreserve.org/warc/1.1/revisit/server-not-modified' }, statusline, httpHeaders: x.response.headers }, once(new Uint8Array()))
      : WARCRecord.create({ url: x.url, date, type: 'response', warcVersion: 'WARC/1.1', warcHeaders, statusline, httpHeaders: x.response.headers }, once(x.response.body));
  return [request, response];
}

export async function openWarcWriter(dir: string, opts: WarcWriterOptions): Promise<WarcWriter> {
  await mkdir(dir, { recursive: true });
  const w: Warcio = await import('warcio');
  const maxBytes = opts.maxBytes ?? 1_000_000_000;
  let serial = 0;
  let file: { path: string; handle: FileHandle; size: number } | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  async function append(bytes: Buffer): Promise<WarcPosition> {
    if (!file) throw new Error('WARC writer is closed');
    const offset = file.size;
    await file.handle.write(bytes, 0, bytes.length, offset);
    file.size += bytes.length;
    return { file: file.path, offset, length: bytes.length };
  }

  async function nextFile(): Promise<void> {
    await file?.handle.close();
    const name = `${opts.prefix}-${stamp(new Date())}-${String(serial++).padStart(5, '0')}.warc.gz`;
    const path = join(dir, name);
    // 'wx': never append to another process's file; each process starts its own.
    file = { path, handle: await open(path, 'wx'), size: 0 };
    await append(await serialize(w, w.WARCRecord.createWARCInfo({ filename: name, warcVersion: 'WARC/1.1' }, opts.info)));
  }

  await nextFile();
  return {
    write(x) {
      const done = chain.then(async () => {
        const [request, response] = await Promise.all(recordsOf(w, x).map((r) => serialize(w, r)));
        if (file!.size + request!.length + response!.length > maxBytes && file!.size > 0) await nextFile();
        await append(request!);
        return append(response!);
      });
      chain = done.catch(() => undefined);
      return done;
    },
    async close() {
      await chain;
      await file?.handle.close();
      file = null;
    },
  };
}
