/**
 * Every HTTP exchange of a fetch as it went over the wire, for a web archive
 * (WARC): each request got sends (the first, every redirect hop, every
 * retry) with the answer it got, the body as the server sent it (still
 * content-encoded, as archives keep it), and the server's address.
 *
 * Taken from Node's own request and response objects, below got: got hands
 * on decoded bodies and hides redirect hops' answers. Only runs when a fetcher
 * has an `archive` hook; otherwise nothing is kept.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';

export type HeaderPairs = Array<[string, string]>;

/** One request and its answer. */
export interface HttpExchange {
  url: string;
  /** When the answer began. */
  date: Date;
  /** The server's address; null through a proxy (the address would be the proxy's). */
  ip: string | null;
  request: { method: string; target: string; headers: HeaderPairs };
  response: {
    status: number;
    statusText: string;
    headers: HeaderPairs;
    /** The body as sent (content-encoding kept, chunking undone). */
    body: Buffer;
    /** Set when the body was not kept whole (WARC-Truncated): 'length' past the cap, 'unspecified' when the fetch stopped reading or the connection broke. */
    truncated: 'length' | 'unspecified' | null;
  };
}

export interface ExchangeCapture {
  /** Resolves once every answer begun so far has ended (or was cut), each handed to the sink. */
  settled(): Promise<void>;
}

/** Transfer-Encoding is undone by Node's parser: an archive keeping the header would tell readers to un-chunk a body that is not chunked. */
const DROPPED = new Set(['transfer-encoding']);

function pairs(raw: string[]): HeaderPairs {
  const out: HeaderPairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!DROPPED.has(raw[i]!.toLowerCase())) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function requestHeaders(req: ClientRequest): HeaderPairs {
  const out: HeaderPairs = [];
  for (const name of req.getRawHeaderNames()) {
    const value = req.getHeader(name);
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)]);
  }
  return out;
}

/**
 * Watch a got stream's requests and hand each finished exchange to `sink`.
 * `maxBytes` caps what is kept of a body; `viaProxy(url)` says the socket's
 * address is a proxy's.
 */
export function captureExchanges(
  stream: NodeJS.EventEmitter,
  opts: { maxBytes: number; viaProxy: (url: URL) => boolean; sink: (x: HttpExchange) => void },
): ExchangeCapture {
  const pending = new Set<Promise<void>>();
  stream.on('request', (req: ClientRequest) => {
    const url = new URL(req.path, `${req.protocol}//${req.host}`);
    // req.host has no port; the Host header has it.
    const host = req.getHeader('host');
    if (typeof host === 'string') url.host = host;
    // Counted from the request on (got may judge the answer before this sees it): settled once its answer ended, or the request ended without one.
    const done = new Promise<void>((resolve) => {
      let answered = false;
      req.once('response', (res: IncomingMessage) => {
        answered = true;
        watchResponse(req, res, url, opts, resolve);
      });
      req.once('close', () => answered || resolve());
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  });
  return { settled: async () => void (await Promise.all([...pending])) };
}

function watchResponse(
  req: ClientRequest,
  res: IncomingMessage,
  url: URL,
  opts: { maxBytes: number; viaProxy: (url: URL) => boolean; sink: (x: HttpExchange) => void },
  resolve: () => void,
): void {
  const date = new Date();
  const ip = opts.viaProxy(url) ? null : (res.socket?.remoteAddress ?? null);
  const chunks: Buffer[] = [];
  let size = 0;
  let capped = false;
  res.on('data', (chunk: Buffer) => {
    if (capped) return;
    if (size + chunk.length > opts.maxBytes) {
      capped = true;
      chunks.push(chunk.subarray(0, opts.maxBytes - size));
      size = opts.maxBytes;
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
  });
  let emitted = false;
  const emit = (): void => {
    if (emitted) return;
    emitted = true;
    const truncated = capped ? 'length' : res.complete ? null : 'unspecified';
    const body = Buffer.concat(chunks, size);
    opts.sink({
      url: url.href,
      date,
      ip: ip?.replace(/^::ffff:/, '') ?? null,
      request: { method: req.method, target: req.path, headers: requestHeaders(req) },
      response: { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: pairs(res.rawHeaders), body, truncated },
    });
    resolve();
  };
  res.once('end', emit);
  // Destroyed before its end: the fetch stopped reading (a cap, a wrong type, an error status) or the connection broke.
  res.once('close', emit);
}
