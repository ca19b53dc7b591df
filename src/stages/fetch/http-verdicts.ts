/**
 * The fetcher's verdicts on one attempt: what a response's status, length and
 * type say before its body is read, and what an error means (a coded error,
 * and whether another attempt may help).
 */
import type { Response } from 'got';
import { NewscleanError, type ErrorCode } from '../../shared/errors.js';
import type { Expect, FetchConfig, FetchOptions, FetchResponse } from './http.js';

export type Done = Omit<FetchResponse, 'requestedUrl' | 'attempts' | 'elapsedMs'>;
/** One attempt's result. Failures say whether another attempt may help. */
export type AttemptOutcome =
  | { ok: true; res: Done }
  | { ok: false; error: NewscleanError; retry: boolean; retryAfterMs: number | null; throttled?: { host: string; status: number } };

/** Network errors worth another attempt (transient by nature). */
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'ENETUNREACH', 'EHOSTUNREACH']);
const TRUNCATION_CODES = new Set(['ERR_HTTP_CONTENT_LENGTH_MISMATCH', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET']);

/** Status, Content-Length and Content-Type, judged before any body byte is read. Null = go on reading. */
export function checkResponse(res: Response, opts: FetchOptions, config: FetchConfig): AttemptOutcome | null {
  const status = res.statusCode;
  const url = new URL(res.url);
  if (status === 304 && isConditional(opts.headers)) return null;
  if (status < 200 || status > 299) return httpFailure(res, url, config.retries.maxRetryAfterMs);
  // Compressed size: a body already over the cap on the wire is over it decompressed too.
  const length = Number(res.headers['content-length']);
  const maxBytes = opts.maxBytes ?? config.maxBytes;
  if (length > maxBytes && !opts.truncate) return { ok: false, error: tooLarge(url, maxBytes, length), retry: false, retryAfterMs: null };
  if (!typeAccepted(opts.expect, mimeOf(res.headers['content-type']), url)) {
    const error = new NewscleanError('NOT_HTML', `unexpected content-type ${res.headers['content-type']} for ${opts.expect}: ${url.href}`);
    return { ok: false, error, retry: false, retryAfterMs: null };
  }
  return null;
}

export const isConditional = (headers: Record<string, string> = {}): boolean =>
  Object.keys(headers).some((k) => /^if-(none-match|modified-since)$/i.test(k));

function httpFailure(res: Response, url: URL, maxRetryAfterMs: number): AttemptOutcome {
  const status = res.statusCode;
  const error = new NewscleanError(`HTTP_${status}` as ErrorCode, `HTTP ${status} ${res.statusMessage ?? ''}: ${url.href}`.replace(/ +:/, ':'));
  const retry = status === 408 || status === 429 || status >= 500;
  if (status !== 429 && status !== 503) return { ok: false, error, retry, retryAfterMs: null };
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], maxRetryAfterMs);
  return { ok: false, error, retry, retryAfterMs, throttled: { host: url.host, status } };
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now, capped; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, capMs: number, now = Date.now()): number | null {
  const v = value?.trim();
  if (!v) return null;
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now;
  return Number.isNaN(ms) ? null : Math.min(capMs, Math.max(0, ms));
}

const mimeOf = (ct: string | undefined): string | null => ct?.split(';')[0]?.trim().toLowerCase() || null;

/** Whether a declared type fits `expect`; a missing type passes here and is sniffed at the end. */
function typeAccepted(expect: Expect, mime: string | null, url: URL): boolean {
  if (expect === 'text' || mime === null) return true;
  if (expect === 'html') return mime === 'text/html' || mime === 'application/xhtml+xml';
  if (/[/+]xml$/.test(mime) || /[/+]json$/.test(mime) || mime === 'text/plain') return true;
  const gzipType = mime === 'application/gzip' || mime === 'application/x-gzip' || mime === 'application/octet-stream';
  return gzipType && /\.gz$/i.test(url.pathname);
}

export function tooLarge(url: URL, maxBytes: number, length?: number): NewscleanError {
  const declared = length === undefined ? '' : ` (Content-Length ${length})`;
  return new NewscleanError('TOO_LARGE', `body larger than fetch.maxBytes ${maxBytes}${declared}: ${url.href}`);
}

/** Map anything got (or our hooks) threw to a coded error and a retry verdict. */
export function classifyError(err: unknown, fatal: NewscleanError | null, bodyStarted: boolean, url: URL): AttemptOutcome {
  const final = (error: NewscleanError): AttemptOutcome => ({ ok: false, error, retry: false, retryAfterMs: null });
  const again = (code: ErrorCode, message: string): AttemptOutcome =>
    ({ ok: false, error: new NewscleanError(code, message, { cause: err }), retry: true, retryAfterMs: null });
  if (fatal) return final(fatal);
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e.cause instanceof NewscleanError) return final(e.cause); // from our DNS guard
  if (err instanceof NewscleanError) return final(err);
  const what = `${e.message ?? String(err)}: ${url.href}`;
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return again('FETCH_TIMEOUT', `timed out: ${what}`);
  if (e.name === 'MaxRedirectsError') return final(new NewscleanError('TOO_MANY_REDIRECTS', what, { cause: err }));
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return final(new NewscleanError('FETCH_FAILED', `aborted: ${what}`, { cause: err }));
  if (bodyStarted && TRUNCATION_CODES.has(e.code ?? '')) return again('TRUNCATED_BODY', `body cut short: ${what}`);
  if (RETRY_CODES.has(e.code ?? '') || /socket hang up/i.test(e.message ?? '')) return again('FETCH_FAILED', what);
  return final(new NewscleanError('FETCH_FAILED', what, { cause: err }));
}
