/**
 * Open the state store a setting names: a `postgres://` URL is the
 * PostgreSQL store (many workers share it), anything else a SQLite file
 * (the embedded default). Both keep the contract of state-store.ts and give
 * the admin commands what they need (admin-common.ts).
 */
import type { AdminStore } from './admin-common.js';
import { isPostgresUrl, redactUrl } from './postgres/location.js';
import { openPostgresState } from './postgres/store.js';
import { openState } from './store.js';

export { isPostgresUrl, redactUrl };

/** The store a config names: its PostgreSQL URL when set, else its SQLite path. */
export const storeLocation = (state: { path: string; url?: string | undefined }): string => state.url ?? state.path;

export function openStore(location: string, opts: { mustExist?: boolean } = {}): AdminStore {
  return isPostgresUrl(location) ? openPostgresState(location, opts) : openState(location, opts);
}
