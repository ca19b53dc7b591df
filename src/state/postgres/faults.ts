/**
 * Which node-postgres errors are faults of the store itself (unreachable,
 * refused, shut down, out of resources, authentication): those end a run with
 * STATE_UNAVAILABLE and one line naming the store. SQL errors (syntax,
 * constraints) are bugs and stay as they are, as in ../faults.ts for SQLite.
 */

/** Node socket errors on the way to the server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** SQLSTATE classes that mean "the store cannot be used right now" (PostgreSQL manual, appendix A). */
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection failure',
  '28': 'authentication failed',
  '3D': 'no such database',
  '53': 'the server is out of resources (disk, memory or connections)',
  '57': 'the server is shutting down or cancelled the statement',
  '58': 'system error on the server',
  XX: 'internal error on the server',
};

/** What to tell the user about this error, or null when it is not a fault of the store. */
export function pgFaultOf(err: { code?: unknown; message?: unknown }): string | null {
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  if (SOCKET_CODES.has(code)) return `cannot reach the server (${code})`;
  // Node's TLS verification: an untrusted or mismatched certificate (sslmode=verify-full, verify-ca, require).
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) return `TLS: ${message} (${code})`;
  if (code.length === 5 && SQLSTATE_CLASSES[code.slice(0, 2)]) return `${SQLSTATE_CLASSES[code.slice(0, 2)]} (${code}: ${message})`;
  if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|ssl|SSL/.test(message)) return message;
  return null;
}
