/**
 * The ledger's copy of the run's frontier in the state store: entries the
 * crawl discovers are written in batches, always before any page is marked
 * done, so a page's links are kept before the page is (a resume does not
 * fetch a done page again).
 */
import type { FrontierEntry } from '../crawl/index.js';
import type { FrontierItem, StateStore } from '../state/store.js';

export interface FrontierBuffer {
  /** New entries: written on the next turn of the event loop, or by the next `save`. */
  add(entries: FrontierEntry[]): void;
  /** Write the entries added so far. */
  save(): void;
  /** A page is settled: its entry marked done (after any unsaved entries are written). */
  done(key: string): void;
  /** Still to do in this run (on the frontier, not done). */
  isPending(key: string): boolean;
}

export function createFrontierBuffer(store: StateStore, runId: string): FrontierBuffer {
  const pendingKeys = new Set(store.pendingFrontier(runId).map((p) => p.url_key));
  const unsaved: FrontierItem[] = [];
  // A store fault (STATE_UNAVAILABLE: disk full…) in the deferred save would be an uncaught
  // exception (exit 70, a stack trace); kept, it is thrown by the run's next ledger call.
  let deferredFault: unknown = null;
  const save = (): void => {
    if (deferredFault !== null) throw deferredFault;
    if (unsaved.length === 0 || !store.isOpen()) return;
    store.addToFrontier(runId, unsaved);
    unsaved.length = 0; // only once saved: a failed save keeps them for the next try
  };
  const saveSoon = (): void => {
    try {
      save();
    } catch (err) {
      deferredFault = err;
    }
  };
  return {
    add(entries) {
      // Batched: a sitemap can list 50,000 URLs in one go, written in one transaction.
      for (const e of entries) {
        unsaved.push({ url_key: e.key, url: e.url, depth: e.depth, site: e.site });
        pendingKeys.add(e.key);
      }
      if (unsaved.length === entries.length) setImmediate(saveSoon);
    },
    save,
    done(key) {
      save();
      if (pendingKeys.delete(key)) store.frontierDone(runId, key);
    },
    isPending: (key) => pendingKeys.has(key),
  };
}
