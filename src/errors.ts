/**
 * Every failure newsclean reports carries a stable code. Rejects and logs use
 * the code; the message is for humans only.
 */
export const ErrorCodes = {
  NOT_AN_ARTICLE: 'Page has no article-like main content (front page, list, empty or tiny page).',
  INPUT_UNREADABLE: 'Input file could not be read or decompressed.',
  INPUT_TOO_LARGE: 'Input is larger than the configured limit.',
  DECODE_FAILED: 'Bytes could not be decoded as text.',
  EXTRACT_FAILED: 'Unexpected error while extracting; the input is kept as a reject.',
  CONFIG_INVALID: 'Configuration is invalid.',
  USAGE: 'Command-line usage error.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class NewscleanError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ErrorCodes[code], options);
    this.code = code;
    this.name = 'NewscleanError';
  }
}

/** Wrap anything thrown into a coded error, keeping the original as `cause`. */
export function toNewscleanError(err: unknown, fallback: ErrorCode): NewscleanError {
  if (err instanceof NewscleanError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new NewscleanError(fallback, message, { cause: err });
}
