/**
 * A run's bookkeeping against the state store: which URLs to fetch (the crawl
 * gate), what an article becomes (unchanged, a new version, a copy of another
 * URL's text, a member of a near-duplicate cluster), and what is remembered
 * once its line is written. The caller writes first and commits after, so a
 * kill between the two only leaves a line the resume adopts (see run.ts).
 */
import type { CrawlGate, FrontierEntry, PageMeta } from '../crawl/index.js';
import type { ArticleRecord, Reject } from '../shared/types.js';
import type { FrontierItem, RetryPolicy, StateStore } from '../state/store.js';
import { type NearDupIndex, type NearDupOptions, type Signature, createNearDupIndex, signatureFromBytes, signatureOf, signatureToBytes } from '../dedupe/index.js';

export interface LedgerOptions {
  runId: string;
  /** Revisit URLs exported in earlier runs (conditional GET) instead of skipping them. */
  refresh: boolean;
  /** Ignore what the state says: fetch everything and export every article (recrawl --force). */
  force: boolean;
  /** Send the last visit's validators; off when the point is to re-extract (recrawl --force, --from). */
  conditional: boolean;
  retry: RetryPolicy;
  /** Near-duplicate clustering; null turns it off. `windowDays`: how far back earlier articles are compared. */
  nearDup: (NearDupOptions & { windowDays: number }) | null;
  /** Reject codes worth another try in a later run (config state.transientCodes). */
  transient: (code: string) => boolean;
  /** The state key of a URL (its canonical form). */
  keyOf: (url: string) => string;
  now?: () => number;
}

/**
 * What an article becomes: nothing new (`unchanged`), a record to write and then
 * commit, or a DUPLICATE_URL reject to write (and pass to `rejected`) when
 * another URL already exported its id (the same page under another URL).
 */
export type Prepared =
  | { unchanged: true }
  | { unchanged: false; record: ArticleRecord; commit: () => void; reject?: undefined }
  | { unchanged: false; reject: Reject };

export interface Ledger {
  gate: CrawlGate;
  /**
   * Write the frontier entries discovered so far. Call before writing an
   * outcome's line: a page adopted on resume is not fetched again, so the
   * links it led to must already be on disk.
   */
  saveFrontier(): void;
  /** Decide what an article is; nothing is stored until `commit`, after its line is written. */
  prepare(record: ArticleRecord, page?: PageMeta): Prepared;
  /** A revisit with nothing new (304). */
  unchanged(page: PageMeta): void;
  /** A reject, after its line is written. */
  rejected(reject: Reject, page?: PageMeta): void;
  /**
   * A start URL (or a URL given to scrape) that is a front page, as it was on
   * the last visit: NOT_AN_ARTICLE again. Remembered, but not worth a reject
   * line on every scheduled run.
   */
  repeatsHubReject(reject: Reject, page?: PageMeta): boolean;
  /** A record found in this run's own output on resume: exported before the kill. */
  adopt(record: ArticleRecord): void;
  /** A reject line found in this run's own output on resume. */
  adoptReject(reject: Reject): void;
  /** Articles whose text matched an earlier article's (exact) and that joined an existing cluster (near). */
  readonly counts: { duplicates: number; clustered: number; versions: number; givenUp: number };
}

export function createLedger(store: StateStore, opts: LedgerOptions): Ledger {
  const now = opts.now ?? Date.now;
  const index: NearDupIndex | null = opts.nearDup ? createNearDupIndex(opts.nearDup) : null;
  if (index) {
    const since = now() - opts.nearDup!.windowDays * 86_400_000;
    for (const c of store.clusters(since)) index.restore(c.article_id, c.cluster_id, signatureFromBytes(c.signature));
  }
  const counts = { duplicates: 0, clustered: 0, versions: 0, givenUp: 0 };
  const pendingKeys = new Set(store.pendingFrontier(opts.runId).map((p) => p.url_key));

  const gate: CrawlGate = {
    admit(entry: FrontierEntry, seed: boolean) {
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
          return (row.next_retry_at ?? 0) <= now() ? { fetch: true } : { fetch: false, reason: 'deferred' };
        case 'rejected':
          return opts.refresh ? { fetch: true } : { fetch: false, reason: 'known' };
        default:
          return { fetch: false, reason: 'known' }; // gave_up: reported by `state stats`
      }
    },
    enqueued(entries) {
      // Batched: a sitemap can list 50,000 URLs in one go. Written in one
      // transaction on the next turn of the event loop, and always before any
      // page is marked done, so a page's links are kept before the page is.
      for (const e of entries) {
        unsaved.push({ url_key: e.key, url: e.url, depth: e.depth, site: e.site });
        pendingKeys.add(e.key);
      }
      if (unsaved.length === entries.length) setImmediate(saveSoon);
    },
  };

  const unsaved: FrontierItem[] = [];
  // A store fault (STATE_UNAVAILABLE: disk full…) in the deferred save would be an uncaught
  // exception (exit 70, a stack trace); kept, it is thrown by the run's next ledger call.
  let deferredFault: unknown = null;
  function saveFrontier(): void {
    if (deferredFault !== null) throw deferredFault;
    if (unsaved.length === 0 || !store.db.open) return;
    store.addToFrontier(opts.runId, unsaved);
    unsaved.length = 0; // only once saved: a failed save keeps them for the next try
  }
  function saveSoon(): void {
    try {
      saveFrontier();
    } catch (err) {
      deferredFault = err;
    }
  }
  const frontierDone = (key: string): void => {
    saveFrontier();
    if (pendingKeys.delete(key)) store.frontierDone(opts.runId, key);
  };

  /** One exported article into the state: its URL row, its text, its cluster; its frontier entry done. */
  const remember = (record: ArticleRecord, key: string, from: { site: string | null; attempts: number; etag: string | null; lastModified: string | null }, sig: Signature | null): void => {
    const at = now();
    store.transaction(() => {
      store.markExported({
        key, url: record.url ?? record.source, ...from, at, runId: opts.runId, contentHash: record.content_hash, articleId: record.id, version: record.version,
      });
      store.addContent(record.content_hash, record.id, key);
      if (sig && record.cluster_id) store.addCluster(record.id, record.cluster_id, signatureToBytes(sig), at);
      frontierDone(key);
    });
  };

  /**
   * The id is the page's (its canonical URL's): another URL that already
   * exported it (an /amp/ copy, an alias, tracking parameters the canonical
   * drops) is the same page, not a new article. With --force only this run's
   * exports count: the point of --force is to export again.
   */
  const sameIdElsewhere = (record: ArticleRecord, key: string, page: PageMeta | undefined): Reject | null => {
    const holder = store.urlWithArticle(record.id, key);
    if (!holder || (opts.force && holder.exported_run !== opts.runId)) return null;
    const url = page?.url ?? record.url ?? record.source;
    return {
      source: page?.url ?? record.source,
      url,
      code: 'DUPLICATE_URL',
      message: `same page as ${holder.url} (canonical ${record.canonical_url ?? record.url ?? record.source}, id ${record.id}), already exported`,
      ...(page && { attempts: page.attempts }),
    };
  };

  /** Annotate and return the commit that remembers it. */
  const settle = (record: ArticleRecord, key: string, page: PageMeta | undefined): Prepared => {
    const duplicate = sameIdElsewhere(record, key, page);
    if (duplicate) return { unchanged: false, reject: duplicate };
    const row = store.getUrl(key);
    const known = row?.status === 'exported' && row.content_hash !== null;
    if (known && row.content_hash === record.content_hash && !opts.force) return { unchanged: true };
    const changed = known && row.content_hash !== record.content_hash;
    const version = known ? (changed ? row.version + 1 : row.version) : 1;
    const first = store.firstWithContent(record.content_hash);
    // Never its own id: a text first exported under this same id is not a copy of another article.
    const duplicateOf = first && first.url_key !== key && first.article_id !== record.id ? first.article_id : null;
    const sig = index ? signatureOf(record.text, opts.nearDup!) : null;
    const match = sig && index ? index.add(record.id, sig) : null;
    const annotated: ArticleRecord = {
      ...record,
      version,
      previous_hash: changed ? row.content_hash : null,
      duplicate_of: duplicateOf,
      cluster_id: match?.clusterId ?? null,
    };
    const commit = (): void => {
      remember(annotated, key, { site: page?.site ?? null, attempts: page?.attempts ?? 0, etag: page?.etag ?? null, lastModified: page?.lastModified ?? null }, sig);
      if (duplicateOf) counts.duplicates++;
      if (match?.similarTo) counts.clustered++;
      if (changed) counts.versions++;
    };
    return { unchanged: false, record: annotated, commit };
  };

  const keyOfRecord = (r: ArticleRecord): string => opts.keyOf(r.source);

  return {
    gate,
    counts,
    saveFrontier,
    prepare: (record, page) => settle(record, page?.key ?? keyOfRecord(record), page),
    unchanged(page) {
      store.transaction(() => {
        store.markUnchanged({ key: page.key, url: page.url, site: page.site, at: now(), attempts: page.attempts, etag: page.etag, lastModified: page.lastModified });
        frontierDone(page.key);
      });
    },
    rejected(reject, page) {
      const key = page?.key ?? opts.keyOf(reject.url ?? reject.source);
      store.transaction(() => {
        const status = store.markFailed(
          { key, url: reject.url ?? reject.source, site: page?.site ?? null, at: now(), attempts: reject.attempts ?? 0, code: reject.code, transient: opts.transient(reject.code) },
          opts.retry,
        );
        if (status === 'gave_up') counts.givenUp++;
        frontierDone(key);
      });
    },
    repeatsHubReject(reject, page) {
      if (!page || page.depth !== 0 || reject.code !== 'NOT_AN_ARTICLE' || opts.force) return false;
      const row = store.getUrl(page.key);
      return row?.status === 'rejected' && row.last_code === reject.code;
    },
    adopt(record) {
      // The line on disk is what was exported: take its version and cluster as written.
      const key = keyOfRecord(record);
      const row = store.getUrl(key);
      if (row?.exported_run === opts.runId && row.version >= record.version) return frontierDone(key);
      const sig = index && record.cluster_id ? signatureOf(record.text, opts.nearDup!) : null;
      if (sig && record.cluster_id) index!.restore(record.id, record.cluster_id, sig);
      remember(record, key, { site: row?.site ?? null, attempts: 0, etag: null, lastModified: null }, sig);
    },
    adoptReject(reject) {
      const key = opts.keyOf(reject.url ?? reject.source);
      if (pendingKeys.has(key)) this.rejected(reject);
    },
  };
}
