/**
 * The store's URL rows (store.ts): where each URL stands after its
 * last fetch (exported, rejected, failed with a retry time, given up), and
 * the exported URLs a recrawl starts from.
 */
import type { SqlDb } from './sql-db.js';
import type { RetryPolicy, StateStore, UrlRow, UrlStatus } from './state-store.js';

type UrlMethods = Pick<StateStore, 'getUrl' | 'markExported' | 'markUnchanged' | 'markFailed' | 'exportedUrls'>;

const retryDelay = (failedRuns: number, p: RetryPolicy): number => Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failedRuns - 1));

function urlStatements(db: SqlDb) {
  return {
    getUrl: db.prepare<[string], UrlRow>('SELECT * FROM urls WHERE url_key = ?'),
    upsertExported: db.prepare(`
      INSERT INTO urls (url_key, url, site, status, attempts, last_fetched_at, etag, last_modified, content_hash, article_id, version, exported_run, first_seen_at, updated_at)
      VALUES (@key, @url, @site, 'exported', @attempts, @at, @etag, @lastModified, @contentHash, @articleId, @version, @runId, @at, @at)
      ON CONFLICT (url_key) DO UPDATE SET url = @url, site = coalesce(@site, urls.site), status = 'exported', attempts = urls.attempts + @attempts,
        failed_runs = 0, next_retry_at = NULL, last_code = NULL, last_fetched_at = @at, etag = @etag, last_modified = @lastModified,
        content_hash = @contentHash, article_id = @articleId, version = @version, exported_run = @runId, updated_at = @at`),
    updateUnchanged: db.prepare(`
      UPDATE urls SET url = @url, attempts = attempts + @attempts, last_fetched_at = @at, failed_runs = 0, next_retry_at = NULL,
        etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified), updated_at = @at
      WHERE url_key = @key`),
    upsertFailed: db.prepare(`
      INSERT INTO urls (url_key, url, site, status, attempts, failed_runs, next_retry_at, last_code, last_fetched_at, first_seen_at, updated_at)
      VALUES (@key, @url, @site, @status, @attempts, @failedRuns, @nextRetryAt, @code, @at, @at, @at)
      ON CONFLICT (url_key) DO UPDATE SET url = @url, site = coalesce(@site, urls.site),
        status = CASE WHEN urls.status = 'exported' THEN 'exported' ELSE @status END,
        attempts = urls.attempts + @attempts, failed_runs = @failedRuns, next_retry_at = @nextRetryAt, last_code = @code,
        last_fetched_at = @at, updated_at = @at`),
  };
}

export function urlsOver(db: SqlDb): UrlMethods {
  const q = urlStatements(db);
  return {
    getUrl: (key) => q.getUrl.get(key),
    markExported: (e) => void q.upsertExported.run({ ...e }),
    markUnchanged: (e) => void q.updateUnchanged.run({ ...e }),
    markFailed(e, policy) {
      const prior = q.getUrl.get(e.key);
      let status: UrlStatus = 'rejected';
      let failedRuns = 0;
      let nextRetryAt: number | null = null;
      if (e.transient) {
        failedRuns = (prior?.failed_runs ?? 0) + 1;
        status = failedRuns >= policy.maxRuns ? 'gave_up' : 'failed';
        if (status === 'failed') nextRetryAt = e.at + retryDelay(failedRuns, policy);
      }
      q.upsertFailed.run({ key: e.key, url: e.url, site: e.site, status, attempts: e.attempts, failedRuns, nextRetryAt, code: e.code, at: e.at });
      // An exported article that later fails to fetch stays exported (its last version is still valid).
      return prior?.status === 'exported' ? 'exported' : status;
    },
    exportedUrls({ sites, since, until }) {
      const where = ["status = 'exported'"];
      const args: (string | number)[] = [];
      if (sites.length > 0) {
        where.push(`site IN (${sites.map(() => '?').join(', ')})`);
        args.push(...sites);
      }
      if (since) where.push('first_seen_at >= ?'), args.push(since.getTime());
      if (until) where.push('first_seen_at < ?'), args.push(until.getTime());
      return db.prepare<unknown[], { url: string }>(`SELECT url FROM urls WHERE ${where.join(' AND ')} ORDER BY first_seen_at`).all(...args).map((r) => r.url);
    },
  };
}
