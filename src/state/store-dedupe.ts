/**
 * The store's memory of texts (store.ts): the first article exported
 * with each exact text, which URL exported an article id, and the
 * near-duplicate clusters with their MinHash signatures.
 */
import type { SqlDb } from './sql-db.js';
import type { StateStore } from './state-store.js';

type DedupeMethods = Pick<StateStore, 'firstWithContent' | 'addContent' | 'urlWithArticle' | 'addCluster' | 'clusters'>;

function dedupeStatements(db: SqlDb) {
  return {
    firstWithContent: db.prepare<[string], { article_id: string; url_key: string }>('SELECT article_id, url_key FROM contents WHERE content_hash = ?'),
    addContent: db.prepare('INSERT INTO contents (content_hash, article_id, url_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    urlWithArticle: db.prepare<[string, string], { url_key: string; url: string; exported_run: string | null }>(
      'SELECT url_key, url, exported_run FROM urls WHERE article_id = ? AND url_key <> ? LIMIT 1',
    ),
    addCluster: db.prepare(`
      INSERT INTO clusters (article_id, cluster_id, signature, added_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (article_id) DO UPDATE SET cluster_id = excluded.cluster_id, signature = excluded.signature, added_at = excluded.added_at`),
    clusters: db.prepare<[number], { article_id: string; cluster_id: string; signature: Buffer }>('SELECT article_id, cluster_id, signature FROM clusters WHERE added_at >= ? ORDER BY added_at'),
  };
}

export function dedupeOver(db: SqlDb): DedupeMethods {
  const q = dedupeStatements(db);
  return {
    firstWithContent: (hash) => q.firstWithContent.get(hash),
    addContent: (hash, articleId, key) => void q.addContent.run(hash, articleId, key),
    urlWithArticle: (articleId, exceptKey) => q.urlWithArticle.get(articleId, exceptKey),
    addCluster: (articleId, clusterId, signature, at) => void q.addCluster.run(articleId, clusterId, Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength), at),
    clusters: (since = 0) => q.clusters.iterate(since),
  };
}
