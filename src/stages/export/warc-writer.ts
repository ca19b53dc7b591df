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
 * A process writes only files it created ('wx'), so several workers can
 * share a folder; a file a killed process left torn is cut back to its last
 * whole record by repairWarcFiles (warc-repair.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, type FileHandle, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { WARCRecord } from 'warcio';
import type { WarcPosition } from '../../shared/types.js';

/** warcio, loaded when a writer opens (the export stage is loaded by every extract; most never write a WARC). */
type Warcio = typeof import('warcio');

type HeaderPairs = Array<[string, string]>;

/** One HTTP exchange as it went over the wire (the fetch stage's HttpExchange). */
export interface WarcExchange {
  url: string;
  date: Date;
  /** The server's address, when known. */
  ip: string | null;
  /** `target`: the request line's path and query. */
  request: { method: string; target: string; headers: HeaderPairs };
  /** `body` as sent (content-encoding kept); `truncated`: the WARC-Truncated reason when not whole. */
  response: { status: number; statusText: string; headers: HeaderPairs; body: Buffer; truncated?: string | null };
}

export type { WarcPosition };

export interface WarcWriter {
  /**
   * Append one exchange; resolves with the position of its response (or
   * revisit) record. `note`: fields of a `metadata` record written right
   * after the response, naming it as concurrent (newsclean's own facts about
   * the page, e.g. the date the listing feed gave).
   */
  write(x: WarcExchange, note?: Record<string, string>): Promise<WarcPosition>;
  close(): Promise<void>;
  /** Paths of the files this writer created, oldest first. */
  files(): string[];
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

type Serializer = InstanceType<Warcio['WARCSerializer']>;
type Hasher = NonNullable<Awaited<ReturnType<Serializer['newHasher']>>>;

/**
 * warcio's serializer, hashing with Node's native sha1: its own hasher
 * (hash-wasm) instantiates a WebAssembly module for each digest, a tenth of
 * the writer's CPU. Only `update` and `digest` are used (warcio's getDigest).
 */
function serializerClass(w: Warcio): new (record: WARCRecord, opts: { gzip: boolean; digest: typeof DIGEST }) => Serializer {
  return class NodeHashSerializer extends w.WARCSerializer {
    override async newHasher(): Promise<Hasher> {
      const hash = createHash('sha1');
      const hasher = {
        update: (data: Uint8Array) => (hash.update(data), hasher),
        digest: (kind?: string) => (kind === 'binary' ? new Uint8Array(hash.digest()) : hash.digest('hex')),
      };
      return hasher as unknown as Hasher;
    }
  };
}

/**
 * One record as one gzip member. warcio formats the record and its digests;
 * Node's zlib compresses it, at once (warcio's own gzip runs a web
 * CompressionStream per record: 3x the CPU; zlib's thread pool costs more
 * CPU in all than ~0.06 ms of a page's record compressed here).
 */
const serialize = async (S: ReturnType<typeof serializerClass>, record: WARCRecord): Promise<Buffer> => gzipSync(await new S(record, { gzip: false, digest: DIGEST }).readFully());

/** The request and its answer (a revisit for a 304), each naming the other as concurrent. */
function recordsOf({ WARCRecord }: Warcio, x: WarcExchange, note?: Record<string, string>): WARCRecord[] {
  const url = new URL(x.url);
  const date = x.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const [requestId, responseId] = [`<urn:uuid:${randomUUID()}>`, `<urn:uuid:${randomUUID()}>`];
  const ip: Record<string, string> = x.ip ? { 'WARC-IP-Address': x.ip } : {};
  const headers = x.request.headers.some(([k]) => k.toLowerCase() === 'host') ? x.request.headers : [['Host', url.host] as [string, string], ...x.request.headers];
  const request = WARCRecord.create(
    { url: x.url, date, type: 'request', warcVersion: 'WARC/1.1', warcHeaders: { 'WARC-Record-ID': requestId, 'WARC-Concurrent-To': responseId, ...ip }, statusline: `${x.request.method} ${x.request.target} HTTP/1.1`, httpHeaders: headers },
    once(new Uint8Array()),
  );
  const statusline = `HTTP/1.1 ${x.response.status} ${x.response.statusText}`;
  const own = { 'WARC-Record-ID': responseId, ...ip, ...(x.response.truncated && { 'WARC-Truncated': x.response.truncated }) };
  const revisit = x.response.status === 304;
  const response = WARCRecord.create({ url: x.url, date, type: revisit ? 'revisit' : 'response', warcVersion: 'WARC/1.1', warcHeaders: own, statusline, httpHeaders: x.response.headers }, once(revisit ? new Uint8Array() : x.response.body));
  // warcio names every revisit identical-payload-digest; a 304 is the server saying nothing changed.
  if (revisit) response.warcHeaders.headers.set('WARC-Profile', 'http://netpreserve.org/warc/1.1/revisit/server-not-modified');
  if (!note) return [request, response];
  const fields = new TextEncoder().encode(Object.entries(note).map(([k, v]) => `${k}: ${v}\r\n`).join(''));
  const metadata = WARCRecord.create({ url: x.url, date, type: 'metadata', warcVersion: 'WARC/1.1', warcHeaders: { 'WARC-Concurrent-To': responseId } }, once(fields));
  return [request, response, metadata];
}

export async function openWarcWriter(dir: string, opts: WarcWriterOptions): Promise<WarcWriter> {
  await mkdir(dir, { recursive: true });
  const w: Warcio = await import('warcio');
  const S = serializerClass(w);
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

  const created: string[] = [];
  async function nextFile(): Promise<void> {
    await file?.handle.close();
    file = null;
    for (;;) {
      const name = `${opts.prefix}-${stamp(new Date())}-${String(serial++).padStart(5, '0')}.warc.gz`;
      const path = join(dir, name);
      try {
        // 'wx': never append to another process's file; each process starts its own (another one took this name: the next serial).
        file = { path, handle: await open(path, 'wx'), size: 0 };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      created.push(path);
      await append(await serialize(S, w.WARCRecord.createWARCInfo({ filename: name, warcVersion: 'WARC/1.1' }, opts.info)));
      return;
    }
  }

  await nextFile();
  return {
    write(x, note) {
      const done = chain.then(async () => {
        const members = await Promise.all(recordsOf(w, x, note).map((r) => serialize(S, r)));
        const bytes = Buffer.concat(members);
        if (file!.size + bytes.length > maxBytes && file!.size > 0) await nextFile();
        // One write for the exchange's records; the position returned is its response's member.
        const at = await append(bytes);
        return { file: at.file, offset: at.offset + members[0]!.length, length: members[1]!.length };
      });
      chain = done.catch(() => undefined);
      return done;
    },
    async close() {
      await chain;
      await file?.handle.close();
      file = null;
    },
    files: () => [...created],
  };
}
