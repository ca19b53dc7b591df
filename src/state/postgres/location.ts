/**
 * Where a state store lives: a SQLite file path (the embedded default) or a
 * PostgreSQL URL (`postgres://USER[:PASSWORD]@HOST:PORT/DB`, shared by many
 * workers). A URL is shown only with its password masked (shared/redact.ts).
 */

export const isPostgresUrl = (location: string): boolean => /^postgres(?:ql)?:\/\//i.test(location);

export { redactUrl } from '../../shared/redact.js';
