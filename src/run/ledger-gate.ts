/** The crawl gate: what the state store says about a URL before it is fetched, and where discovered URLs are kept. */
import type { CrawlGate, FrontierEntry } from '../crawl/index.js';
import type { StateStore } from '../state/store.js';
import type { FrontierBuffer } from './ledger-frontier.js';

export interface GateOptions {
  runId: string;
  refresh: boolean;
  force: boolean;
  conditional: boolean;
  now: () => number;
}

export function createGate(store: StateStore, opts: GateOptions, frontier: FrontierBuffer): CrawlGate {
  return {
    admit: (entry, seed) => admit(store, opts, entry, seed),
    enqueued: (entries) => frontier.add(entries),
  };
}

/**
 * Fetch it (with the last visit's validators when it was exported), or skip
 * it: known (exported or rejected earlier, gave up, or done in this run
 * before a resume) or deferred (failed, its retry not yet due). Seeds are
 * always fetched; --force fetches everything.
 */
function admit(store: StateStore, opts: GateOptions, entry: FrontierEntry, seed: boolean): ReturnType<CrawlGate['admit']> {
  if (opts.force) return { fetch: true };
  const row = store.getUrl(entry.key);
  if (!row) return { fetch: true };
  if (row.exported_run === opts.runId) return { fetch: false, reason: 'known' }; // resumed: already done
  const validators = row.status === 'exported' && opts.conditional ? { etag: row.etag, lastModified: row.last_modified } : undefined;
  if (seed) return { fetch: true, validators };
  switch (row.status) {
    case 'exported':
      return opts.refresh ? { fetch: true, validators } : { fetch: false, reason: 'known' };
    case 'failed':
      return (row.next_retry_at ?? 0) <= opts.now() ? { fetch: true } : { fetch: false, reason: 'deferred' };
    case 'rejected':
      return opts.refresh ? { fetch: true } : { fetch: false, reason: 'known' };
    default:
      return { fetch: false, reason: 'known' }; // gave_up: reported by `state stats`
  }
}
