/**
 * The store's frontiers (store.ts): each run's URLs to fetch and
 * which of them are done, so a killed run resumes where it stopped.
 */
import type { SqlDb } from './sql-db.js';
import type { FrontierItem, StateStore } from './state-store.js';

type FrontierMethods = Pick<StateStore, 'addToFrontier' | 'frontierDone' | 'pendingFrontier' | 'doneFrontier'>;

export function frontierOver(db: SqlDb): FrontierMethods {
  const q = {
    addFrontier: db.prepare('INSERT INTO frontier (run_id, url_key, url, depth, site) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    frontierDone: db.prepare('UPDATE frontier SET done = 1 WHERE run_id = ? AND url_key = ?'),
    done: db.prepare<[string], { url_key: string }>('SELECT url_key FROM frontier WHERE run_id = ? AND done = 1'),
    pending: db.prepare<[string], FrontierItem>('SELECT url_key, url, depth, site FROM frontier WHERE run_id = ? AND done = 0 ORDER BY depth, rowid'),
  };
  const addFrontier = db.transaction((runId: string, items: FrontierItem[]) => {
    for (const i of items) q.addFrontier.run(runId, i.url_key, i.url, i.depth, i.site);
  });
  return {
    addToFrontier: (runId, items) => addFrontier(runId, items),
    frontierDone: (runId, key) => void q.frontierDone.run(runId, key),
    pendingFrontier: (runId) => q.pending.all(runId),
    doneFrontier: (runId) => q.done.all(runId).map((r) => r.url_key),
  };
}
