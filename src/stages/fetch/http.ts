import type dns from 'node:dns';
import type { ClientRequest, IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { BeforeRedirectHook, ExtendOptions, Got, Options, Request, Response } from 'got';
import type { Config } from '../../config/schema.js';
import { NewscleanError, toNewscleanError } from '../../shared/errors.js';
import type { WarcPosition } from '../../shared/types.js';
import { isHttp, parseUrl } from '../../shared/url.js';
import { checkHost, guardedLookup } from './address-guard.js';
import { type AttemptOutcome, type Done, checkResponse, classifyError, tooLarge } from './http-verdicts.js';
import { type ExchangeCapture, type HttpExchange, captureExchanges } from './exchange.js';
import { directAgents, proxyAgentPool, proxyFor, type ProxyAgents } from './proxy.js';

export type FetchConfig = Config['fetch'];
/** html: text/html or application/xhtml+xml; xml: feeds and sitemaps (any xml type, application/rss+xml, atom, application/json / feed+json for JSON Feed, text/plain, and gzip files application/gzip / application/x-gzip / octet-stream when the URL ends .gz); text: robots.txt (anything). */
export type Expect = 'html' | 'xml' | 'text';
export interface FetchResponse {
  requestedUrl: string;
  /** Final URL after redirects. */
  url: string;
  /** 2xx, or 304 when conditional headers were sent. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | null;
  /** Content-encoding undone; for expect 'xml' a gzip body (sitemap.xml.gz) is gunzipped too, under the same cap. */
  bytes: Buffer;
  /** HTTP requests made, 1 + retries. */
  attempts: number;
  /** Redirect targets in order (the last one is `url`); empty without redirects. */
  redirects: string[];
  elapsedMs: number;
  /** With an `archive` hook: where this response was archived. */
  warc?: WarcPosition;
}
export interface FetchOptions {
  expect: Expect;
  headers?: Record<string, string>;
  /** Aborts the request in flight. */
  signal?: AbortSignal;
  /** Ends waits only (the host's turn, a retry's back-off) with INTERRUPTED; a request in flight finishes (a graceful stop). */
  waitSignal?: AbortSignal;
  /** Body cap for this request (decompressed; gunzipped for xml); default fetch.maxBytes. Discovery passes fetch.maxDiscoveryBytes. */
  maxBytes?: number;
  /**
   * Past maxBytes, keep the first maxBytes and stop reading instead of
   * failing with TOO_LARGE (robots.txt: RFC 9309 §2.5 parses the first
   * 500 KiB of a larger file). Counted after content-encoding is undone.
   */
  truncate?: boolean;
  /** With an `archive` hook: fields of a metadata record the archive keeps beside the 2xx answer (the date the listing gave). */
  archiveNote?: Record<string, string> | undefined;
}
export interface FetcherHooks {
  /** Called when a host answers 429 or 503 (before the retry wait), so the scheduler can slow that host down. */
  onThrottle?: (host: string, status: number, retryAfterMs: number | null) => void;
  /**
   * Runs each attempt (one HTTP exchange) in its host's politeness slot (the
   * host queue's run): `delayMs` is a retry's back-off or Retry-After, counted
   * from the call and waited without holding a global fetch slot; an abort
   * while waiting rejects with INTERRUPTED. Default: sleep, then run.
   */
  schedule?: <T>(url: string, attempt: (sent: () => void) => Promise<T>, opts: { delayMs: number; signal?: AbortSignal | undefined }) => Promise<T>;
  /** A redirect hop to `url`: wait for that host's turn (host queue's hop); returns that host's `sent()`. */
  hop?: (url: string, signal?: AbortSignal) => Promise<() => void>;
  /** Injectable for tests (the default schedule's wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** DNS lookup override (tests); default dns.lookup. */
  lookup?: typeof dns.lookup;
  /**
   * A web archive: every HTTP exchange (redirect hops, retries, error answers
   * included) is handed to it; resolves with where the answer was written. A
   * failure fails the fetch with the error it throws (OUTPUT_FAILED).
   */
  archive?: (x: HttpExchange, note?: Record<string, string>) => Promise<WarcPosition | null>;
}
export interface Fetcher { fetch(url: string, opts: FetchOptions): Promise<FetchResponse> }

interface Ctx {
  config: FetchConfig;
  hooks: FetcherHooks;
  schedule: NonNullable<FetcherHooks['schedule']>;
  random: () => number;
  guarded: ReturnType<typeof guardedLookup>;
  agents: (proxy: string) => ProxyAgents;
  direct: ProxyAgents;
  /** got with the options every request shares, merged once (got merges per-call options into these); loaded on the first request. */
  client: () => Promise<Got>;
}

const ACCEPT: Record<Expect, string> = {
  html: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
  xml: 'application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.1',
  text: 'text/plain,*/*;q=0.5',
};
const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

/** Without a host queue: wait out the back-off (an abort ends the wait with INTERRUPTED), then run. */
function sleepThenRun(sleep: (ms: number, signal?: AbortSignal) => Promise<void>): NonNullable<FetcherHooks['schedule']> {
  return async (_url, attempt, { delayMs, signal }) => {
    if (delayMs > 0) {
      await sleep(delayMs, signal).catch((err: unknown) => {
        throw new NewscleanError('INTERRUPTED', 'stopped while waiting to retry', { cause: err });
      });
    }
    if (signal?.aborted) throw new NewscleanError('INTERRUPTED', 'stopped while waiting to retry');
    return attempt(() => undefined);
  };
}

/**
 * got is imported on the first request, not with this module: the fetch
 * stage's index is imported by every clean worker and by `extract`, which
 * never fetch, and got's import costs ~130 ms and ~20 MB per thread.
 */
function lazyClient(options: ExtendOptions): () => Promise<Got> {
  let client: Promise<Got> | null = null;
  return () => (client ??= import('got').then((m) => m.default.extend(options)));
}

export function createFetcher(config: FetchConfig, hooks: FetcherHooks = {}): Fetcher {
  const ctx: Ctx = {
    config,
    hooks,
    schedule: hooks.schedule ?? sleepThenRun(hooks.sleep ?? defaultSleep),
    random: hooks.random ?? Math.random,
    guarded: guardedLookup(hooks.lookup),
    agents: proxyAgentPool(),
    direct: directAgents(),
    client: lazyClient({
      retry: { limit: 0 }, // retries are ours: counted, with injectable waits
      throwHttpErrors: false,
      followRedirect: true,
      maxRedirects: config.maxRedirects,
      decompress: true,
      strictContentLength: true, // a short body is an error, not a silently cut page
      timeout: {
        lookup: config.timeouts.connectMs,
        connect: config.timeouts.connectMs,
        secureConnect: config.timeouts.connectMs,
        response: config.timeouts.responseMs,
        request: config.timeouts.totalMs,
      },
      headers: { 'user-agent': config.userAgent },
    }),
  };
  return { fetch: (url, opts) => fetchWithRetries(ctx, url, opts) };
}

async function fetchWithRetries(ctx: Ctx, requestedUrl: string, opts: FetchOptions): Promise<FetchResponse> {
  const started = performance.now();
  const { retries } = ctx.config;
  const url = parseHttpUrl(requestedUrl);
  if (!ctx.config.allowPrivateNetworks) {
    try {
      checkHost(url.hostname);
    } catch (err) {
      throw Object.assign(err as NewscleanError, { attempts: 0 });
    }
  }
  let delayMs = 0;
  for (let attempt = 1; ; attempt++) {
    // Each attempt is its own turn at the host: spaced by the host's interval, and
    // the back-off before it is waited outside any global slot (the schedule's job).
    const outcome = await ctx.schedule(url.href, (sent) => attemptOnce(ctx, url, opts, sent), { delayMs, signal: opts.waitSignal ?? opts.signal }).catch((err: unknown) => {
      throw Object.assign(err as NewscleanError, { attempts: attempt - 1 });
    });
    if (outcome.ok) return { requestedUrl, ...outcome.res, attempts: attempt, elapsedMs: Math.round(performance.now() - started) };
    const { error, throttled } = outcome;
    error.attempts = attempt;
    if (throttled) ctx.hooks.onThrottle?.(throttled.host, throttled.status, outcome.retryAfterMs);
    if (!outcome.retry || attempt > retries.limit || opts.signal?.aborted) throw error;
    const backoff = ctx.random() * Math.min(retries.maxDelayMs, retries.baseDelayMs * 2 ** (attempt - 1));
    delayMs = outcome.retryAfterMs ?? backoff;
  }
}

function parseHttpUrl(raw: string): URL {
  const url = parseUrl(raw);
  if (!url) throw new NewscleanError('INVALID_URL', `not an absolute URL: ${raw}`, { attempts: 0 });
  if (!isHttp(url)) {
    throw new NewscleanError('INVALID_URL', `not an http(s) URL: ${raw}`, { attempts: 0 });
  }
  return url;
}

/** Proxy agent and DNS guard for one hop; redirects re-route per target (NO_PROXY may differ). */
function route(ctx: Ctx, url: URL): { agent: ProxyAgents; dnsLookup: Options['dnsLookup'] } {
  const proxy = proxyFor(url, ctx.config.proxy);
  // Through a proxy the proxy resolves names, so only literal hosts (checkHost) can be vetted.
  if (proxy) return { agent: ctx.agents(proxy), dnsLookup: undefined };
  const dnsLookup = ctx.config.allowPrivateNetworks ? (ctx.hooks.lookup as Options['dnsLookup']) : ctx.guarded;
  return { agent: ctx.direct, dnsLookup };
}

/**
 * When the request counts as started for its host's interval: once its answer
 * begins. The server stamps a request's arrival before it answers, so counting
 * the next start from here keeps every gap the server sees at or above the
 * delay, whatever the connection set-up or either side's event-loop lag cost
 * (counting from the write left gaps 5-15 ms short on a loaded machine). The
 * price: a host's requests are spaced by delay + time to first byte.
 */
function markSent(req: ClientRequest, sent: () => void): void {
  req.once('response', sent);
}

/** One HTTP exchange (redirects included). Never rejects: failures come back as an AttemptOutcome. `sent`: see FetcherHooks.schedule. */
async function attemptOnce(ctx: Ctx, url: URL, opts: FetchOptions, sent?: () => void): Promise<AttemptOutcome> {
  const client = await ctx.client();
  const { config } = ctx;
  const chain = new Set([withoutHash(url)]);
  const redirects: string[] = [];
  let fatal: NewscleanError | null = null; // set by our own checks; wins over got's wrapping
  let response: Response | null = null;
  const chunks: Buffer[] = [];
  let size = 0;
  const maxBytes = opts.maxBytes ?? config.maxBytes;

  // The sent() of the host the current request (a redirect hop may change it) goes to.
  let sentNow = sent;
  const onRedirect: BeforeRedirectHook = async (next) => {
    const target = next.url as URL;
    try {
      if (chain.has(withoutHash(target))) throw new NewscleanError('REDIRECT_LOOP', `redirect loop: ${[...chain, target.href].join(' -> ')}`);
      chain.add(withoutHash(target));
      redirects.push(target.href);
      if (!config.allowPrivateNetworks) checkHost(target.hostname);
      Object.assign(next, route(ctx, target));
      // Each hop is a request to its host too: it waits for that host's turn (got awaits this hook).
      if (ctx.hooks.hop) sentNow = await ctx.hooks.hop(target.href, opts.waitSignal ?? opts.signal);
    } catch (err) {
      fatal = err as NewscleanError;
      throw err;
    }
  };

  return new Promise<AttemptOutcome>((resolve) => {
    let stream: Request | undefined;
    let settled = false;
    let capture: Capture | null = null;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      // abort: no half-read socket is left open
      if (!capture) return void (outcome.ok || stream?.destroy(), resolve(outcome));
      void archived(capture, outcome, () => stream?.destroy(), config.timeouts.responseMs).then(resolve);
    };
    const fail = (error: NewscleanError): void => finish({ ok: false, error, retry: false, retryAfterMs: null });
    try {
      stream = client.stream(url, {
        ...route(ctx, url),
        headers: { accept: ACCEPT[opts.expect], ...lowerKeys(opts.headers) },
        signal: opts.signal,
        hooks: { beforeRedirect: [onRedirect] },
      });
    } catch (err) {
      return finish(classifyError(err, null, false, url));
    }
    const archive = ctx.hooks.archive;
    if (archive) {
      const written: Capture['written'] = [];
      const viaProxy = (u: URL): boolean => proxyFor(u, config.proxy) !== null;
      // Each write's result is kept settled (a failure held as a value): it is looked at once the attempt ends, not when it happens.
      const note = (x: HttpExchange): Record<string, string> | undefined => (x.response.status >= 200 && x.response.status < 300 ? opts.archiveNote : undefined);
      const sink = (x: HttpExchange): number => written.push(archive(x, note(x)).then((at) => ({ at }), (error: unknown) => ({ error })));
      capture = { tap: captureExchanges(stream, { maxBytes, viaProxy, sink }), written };
    }
    stream.on('request', (req: ClientRequest) => {
      const mark = sentNow;
      if (mark) markSent(req, mark);
    });
    stream.on('response', (res: Response) => {
      response = res;
      const early = checkResponse(res, opts, config);
      if (early) finish(early);
    });
    let truncated = false;
    stream.on('data', (chunk: Buffer) => {
      if (truncated) return;
      size += chunk.length;
      if (size > maxBytes && opts.truncate && response) {
        truncated = true;
        chunks.push(chunk.subarray(0, chunk.length - (size - maxBytes)));
        const res = response;
        stream?.destroy(); // enough read: the rest is never downloaded (its close is no error)
        return void finishBody(res, Buffer.concat(chunks, maxBytes), opts.expect, maxBytes).then(
          (bytes) => finish({ ok: true, res: done(res, bytes, redirects) }),
          (err: NewscleanError) => fail(err),
        );
      }
      if (size > maxBytes) return fail(tooLarge(new URL(response?.url ?? url), maxBytes));
      chunks.push(chunk);
    });
    stream.on('error', (err: unknown) => truncated || finish(classifyError(err, fatal, response !== null, url)));
    stream.on('end', () => {
      const res = response;
      if (settled || truncated || !res) return;
      finishBody(res, Buffer.concat(chunks, size), opts.expect, maxBytes).then(
        (bytes) => finish({ ok: true, res: done(res, bytes, redirects) }),
        (err: NewscleanError) => fail(err),
      );
    });
  });
}

export { parseRetryAfter } from './http-verdicts.js';

const withoutHash = (u: URL): string => u.href.replace(/#.*$/, '');

/**
 * An attempt's outcome once its exchanges are archived: an error answer's
 * body is read to its end first (at most `waitMs`), so the archive keeps the
 * 404 page too; the response gets its archive position; a failed write fails
 * the fetch.
 */
interface Capture {
  tap: ExchangeCapture;
  written: Array<Promise<{ at: WarcPosition | null } | { error: unknown }>>;
}

async function archived(
  capture: Capture,
  outcome: AttemptOutcome,
  stop: () => void,
  waitMs: number,
): Promise<AttemptOutcome> {
  if (!outcome.ok && outcome.error.code.startsWith('HTTP_')) await Promise.race([capture.tap.settled(), delay(waitMs, undefined, { ref: false })]);
  if (!outcome.ok) stop();
  await capture.tap.settled();
  const results = await Promise.all(capture.written);
  const failed = results.find((r) => 'error' in r);
  if (failed && 'error' in failed) return { ok: false, error: toNewscleanError(failed.error, 'OUTPUT_FAILED'), retry: false, retryAfterMs: null };
  const last = results.at(-1);
  const warc = last && 'at' in last ? last.at : null;
  return outcome.ok && warc ? { ok: true, res: { ...outcome.res, warc } } : outcome;
}

function lowerKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function done(res: Response, bytes: Buffer, redirects: string[]): Done {
  const headers = res.headers as IncomingHttpHeaders;
  return { url: res.url, status: res.statusCode, headers, contentType: headers['content-type'] ?? null, bytes, redirects };
}

const gunzipAsync = promisify(gunzip);

/** Undo a gzip file body (xml only) and sniff undeclared types. */
async function finishBody(res: Response, raw: Buffer, expect: Expect, maxBytes: number): Promise<Buffer> {
  const url = new URL(res.url);
  let bytes = raw;
  if (expect === 'xml' && raw[0] === 0x1f && raw[1] === 0x8b) {
    // maxOutputLength stops a gzip bomb inside zlib instead of after it filled memory.
    bytes = await gunzipAsync(raw, { maxOutputLength: maxBytes }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, maxBytes);
      throw new NewscleanError('FETCH_FAILED', `bad gzip data: ${url.href}: ${err.message}`, { cause: err });
    });
  }
  if (res.statusCode === 304 || expect === 'text' || res.headers['content-type']) return bytes;
  const first = bytes.toString('latin1', 0, 1024).replace(/^(\xef\xbb\xbf|\ufeff)/, '').trimStart()[0];
  if (first === '<' || (expect === 'xml' && first === '{')) return bytes;
  throw new NewscleanError('NOT_HTML', `no content-type and the body does not look like ${expect === 'html' ? 'HTML' : 'XML/JSON'}: ${url.href}`);
}
