/**
 * Every failure newsclean reports carries a stable code. Rejects and logs use
 * the code; the message is for humans only.
 */
export const ErrorCodes = {
  NOT_AN_ARTICLE: 'Page has no article-like main content (front page, list, empty or tiny page).',
  INPUT_UNREADABLE: 'Input file could not be read or decompressed.',
  INPUT_TOO_LARGE: 'Input is larger than the configured limit.',
  DECODE_FAILED: 'Bytes could not be decoded as text.',
  TOO_COMPLEX: 'The page has more HTML elements than clean.maxElements, or its tree outgrew a clean worker\'s heap.',
  EXTRACT_FAILED: 'Unexpected error while extracting; the input is kept as a reject.',
  CONFIG_INVALID: 'Configuration is invalid.',
  INVALID_URL: 'Not an absolute http(s) URL.',
  FETCH_TIMEOUT: 'The server did not connect, answer or finish the body in time (after retries).',
  FETCH_FAILED: 'Network failure: DNS, refused or reset connection, TLS, protocol error (after retries).',
  TRUNCATED_BODY: 'The connection closed before the whole body arrived (after retries).',
  TOO_LARGE: 'The body is larger than fetch.maxBytes (fetch.maxDiscoveryBytes for feeds and sitemaps); the download was aborted.',
  NOT_HTML: 'The response is not HTML/XHTML (or, for feeds and sitemaps, not XML/JSON).',
  REDIRECT_LOOP: 'A redirect led back to a URL already visited in the same chain.',
  TOO_MANY_REDIRECTS: 'More redirects than fetch.maxRedirects.',
  PRIVATE_NETWORK: 'The URL resolves to a loopback, private or link-local address (allow with --allow-private-networks).',
  ROBOTS_DISALLOWED: "The site's robots.txt disallows the URL (a real Disallow rule; final).",
  ROBOTS_UNAVAILABLE: 'robots.txt answered 5xx after retries: RFC 9309 says do not crawl for now; a later run retries (transient).',
  SITE_UNREACHABLE: 'The site gave no answer at all (DNS, refused or reset connection, TLS, timeout), or every feed, sitemap and start URL of it failed; a later run retries (transient).',
  FEED_INVALID: 'A feed or sitemap could not be parsed (a reject), or was not well-formed XML and was read only in part (a warning).',
  NOT_MODIFIED: 'A revisit answered 304 Not Modified: nothing new, no record (counted as unchanged, never written as a reject).',
  DUPLICATE_URL: 'The URL (or where it redirects) was already taken in this run, or it is another URL of a page (same rel=canonical, same id) already exported.',
  INTERRUPTED: 'The run was stopped (SIGINT/SIGTERM) before this URL was fetched; never a reject: the next run with the same plan takes it up.',
  USAGE: 'Command-line usage error.',
  RUN_IN_PROGRESS: 'The same command with the same plan is still running in another live process on this host.',
  OUTPUT_FAILED: 'An output file or stdout could not be written (missing or unwritable folder, disk full, I/O error).',
  STATE_UNAVAILABLE: 'The state store (a SQLite file or a PostgreSQL server) cannot be opened or reached, is locked, or has a newer schema.',
  WARC_INVALID: 'A WARC input is not WARC or breaks off (the pages read before the break are kept), or one of its records is broken (a Content-Length that lies, a corrupt gzip member, a response that is not HTTP; the records after it are read).',
  QUEUE_UNAVAILABLE: "The queue's Redis (--queue, NEWSCLEAN_QUEUE_URL) cannot be reached, or a queued run's description is gone from it.",
} as const;

/** A fixed code, or HTTP_<status> for a final HTTP error status (HTTP_404, HTTP_503). */
export type ErrorCode = keyof typeof ErrorCodes | `HTTP_${number}`;

export class NewscleanError extends Error {
  readonly code: ErrorCode;
  /** HTTP requests made before giving up (fetch errors only). */
  attempts?: number;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; attempts?: number }) {
    super(message ?? (code in ErrorCodes ? ErrorCodes[code as keyof typeof ErrorCodes] : code), options);
    this.code = code;
    if (options?.attempts !== undefined) this.attempts = options.attempts;
    this.name = 'NewscleanError';
  }
}

/** Wrap anything thrown into a coded error, keeping the original as `cause`. */
export function toNewscleanError(err: unknown, fallback: ErrorCode): NewscleanError {
  if (err instanceof NewscleanError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new NewscleanError(fallback, message, { cause: err });
}
