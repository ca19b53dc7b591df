/**
 * Where a state store lives: a SQLite file path (the embedded default) or a
 * PostgreSQL URL (`postgres://USER[:PASSWORD]@HOST:PORT/DB`, shared by many
 * workers). A URL is shown only with its password masked.
 */

export const isPostgresUrl = (location: string): boolean => /^postgres(?:ql)?:\/\//i.test(location);

/** The URL with any password replaced by `***` (for messages, logs, manifests). Not a URL: returned as is. */
export function redactUrl(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}
