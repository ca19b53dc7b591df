/**
 * A run's bookkeeping against the state store: which URLs to fetch (the crawl
 * gate), what an article becomes (unchanged, a new version, a copy of another
 * URL's text, a member of a near-duplicate cluster), and what is remembered
 * once its line is written. The caller writes first and commits after, so a
 * kill between the two only leaves a line the resume adopts (see outcomes.ts).
 * The crawl gate is in ledger-gate.ts, the frontier's copy in ledger-frontier.ts.
 */
import type { Config } from '../config/schema.js';
import type { CrawlGate, PageMeta } from '../crawl/index.js';
import type { ArticleRecord, Reject } from '../shared/types.js';
import type { RetryPolicy, StateStore } from '../state/store.js';
import { type NearDupIndex, type NearDupOptions, type Signature, createNearDupIndex, signatureFromBytes, signatureOf, signatureToBytes } from '../dedupe/index.js';
import { type FrontierBuffer, createFrontierBuffer } from './ledger-frontier.js';
import { createGate } from './ledger-gate.js';

/** HTTP_5xx in the config matches every 5xx status. */
const transientMatcher = (codes: string[]) => (code: string): boolean => codes.includes(code) || (codes.includes('HTTP_5xx') && /^HTTP_5\d\d$/.test(code));

/** A run's ledger options from what it was asked (refresh, force, conditional) and the config's state and dedupe settings. */
export const ledgerOptionsFor = (
  spec: { refresh: boolean; force: boolean; conditional: boolean },
  config: Config,
  runId: string,
  keyOf: (url: string) => string,
): LedgerOptions => ({
  runId,
  refresh: spec.refresh,
  force: spec.force,
  conditional: spec.conditional,
  retry: config.state.retry,
  nearDup: config.dedupe.nearDuplicates.enabled ? config.dedupe.nearDuplicates : null,
  transient: transientMatcher(config.state.transientCodes),
  keyOf,
});

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
  /**
   * Near-duplicate clusters that other processes sharing the state added since
   * the index was read (or last caught up) join it: workers of one queued run
   * compare against each other's articles, not only their own.
   */
  catchUpClusters(): void;
  /** Articles whose text matched an earlier article's (exact) and that joined an existing cluster (near). */
  readonly counts: { duplicates: number; clustered: number; versions: number; givenUp: number };
}

/** What the ledger's parts share: the store, the options, the clock, the near-duplicate index, the counts, the frontier. */
interface LedgerContext {
  store: StateStore;
  opts: LedgerOptions;
  now: () => number;
  index: NearDupIndex | null;
  counts: Ledger['counts'];
  frontier: FrontierBuffer;
}

export function createLedger(store: StateStore, opts: LedgerOptions): Ledger {
  const now = opts.now ?? Date.now;
  const index = openNearDupIndex(store, opts, now);
  let readAt = now();
  const counts = { duplicates: 0, clustered: 0, versions: 0, givenUp: 0 };
  const frontier = createFrontierBuffer(store, opts.runId);
  const ctx: LedgerContext = { store, opts, now, index, counts, frontier };
  const rejected = (reject: Reject, page?: PageMeta): void => markRejected(ctx, reject, page);
  return {
    gate: createGate(store, { ...opts, now }, frontier),
    counts,
    saveFrontier: frontier.save,
    prepare: (record, page) => settle(ctx, record, page?.key ?? opts.keyOf(record.source), page),
    unchanged: (page) => markUnchanged(ctx, page),
    rejected,
    repeatsHubReject: (reject, page) => repeatsHubReject(ctx, reject, page),
    adopt: (record) => adopt(ctx, record),
    catchUpClusters() {
      if (!index) return;
      // A minute of overlap: clocks of other machines differ a little; an id already in the index is ignored.
      const since = readAt - 60_000;
      readAt = now();
      for (const c of store.clusters(since)) index.restore(c.article_id, c.cluster_id, signatureFromBytes(c.signature));
    },
    adoptReject(reject) {
      if (frontier.isPending(opts.keyOf(reject.url ?? reject.source))) rejected(reject);
    },
  };
}

/** The near-duplicate index, with the clusters of the last nearDup.windowDays restored; null when clustering is off. */
function openNearDupIndex(store: StateStore, opts: LedgerOptions, now: () => number): NearDupIndex | null {
  if (!opts.nearDup) return null;
  const index = createNearDupIndex(opts.nearDup);
  const since = now() - opts.nearDup.windowDays * 86_400_000;
  for (const c of store.clusters(since)) index.restore(c.article_id, c.cluster_id, signatureFromBytes(c.signature));
  return index;
}

type ExportedFrom = { site: string | null; attempts: number; etag: string | null; lastModified: string | null };

/** One exported article into the state: its URL row, its text, its cluster; its frontier entry done. */
function remember(ctx: LedgerContext, record: ArticleRecord, key: string, from: ExportedFrom, sig: Signature | null): void {
  const { store, opts } = ctx;
  const at = ctx.now();
  store.transaction(() => {
    store.markExported({
      key, url: record.url ?? record.source, ...from, at, runId: opts.runId, contentHash: record.content_hash, articleId: record.id, version: record.version,
    });
    store.addContent(record.content_hash, record.id, key);
    if (sig && record.cluster_id) store.addCluster(record.id, record.cluster_id, signatureToBytes(sig), at);
    ctx.frontier.done(key);
  });
}

/**
 * The id is the page's (its canonical URL's): another URL that already
 * exported it (an /amp/ copy, an alias, tracking parameters the canonical
 * drops) is the same page, not a new article. With --force only this run's
 * exports count: the point of --force is to export again.
 */
function sameIdElsewhere(ctx: LedgerContext, record: ArticleRecord, key: string, page: PageMeta | undefined): Reject | null {
  const holder = ctx.store.urlWithArticle(record.id, key);
  if (!holder || (ctx.opts.force && holder.exported_run !== ctx.opts.runId)) return null;
  const url = page?.url ?? record.url ?? record.source;
  return {
    source: page?.url ?? record.source,
    url,
    code: 'DUPLICATE_URL',
    message: `same page as ${holder.url} (canonical ${record.canonical_url ?? record.url ?? record.source}, id ${record.id}), already exported`,
    ...(page && { attempts: page.attempts }),
  };
}

/** Annotate and return the commit that remembers it. */
function settle(ctx: LedgerContext, record: ArticleRecord, key: string, page: PageMeta | undefined): Prepared {
  const { store, opts, index, counts } = ctx;
  const duplicate = sameIdElsewhere(ctx, record, key, page);
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
    remember(ctx, annotated, key, { site: page?.site ?? null, attempts: page?.attempts ?? 0, etag: page?.etag ?? null, lastModified: page?.lastModified ?? null }, sig);
    if (duplicateOf) counts.duplicates++;
    if (match?.similarTo) counts.clustered++;
    if (changed) counts.versions++;
  };
  return { unchanged: false, record: annotated, commit };
}

function markUnchanged(ctx: LedgerContext, page: PageMeta): void {
  ctx.store.transaction(() => {
    ctx.store.markUnchanged({ key: page.key, url: page.url, site: page.site, at: ctx.now(), attempts: page.attempts, etag: page.etag, lastModified: page.lastModified });
    ctx.frontier.done(page.key);
  });
}

function markRejected(ctx: LedgerContext, reject: Reject, page: PageMeta | undefined): void {
  const { store, opts } = ctx;
  const key = page?.key ?? opts.keyOf(reject.url ?? reject.source);
  store.transaction(() => {
    const status = store.markFailed(
      { key, url: reject.url ?? reject.source, site: page?.site ?? null, at: ctx.now(), attempts: reject.attempts ?? 0, code: reject.code, transient: opts.transient(reject.code) },
      opts.retry,
    );
    if (status === 'gave_up') ctx.counts.givenUp++;
    ctx.frontier.done(key);
  });
}

function repeatsHubReject(ctx: LedgerContext, reject: Reject, page: PageMeta | undefined): boolean {
  if (!page || page.depth !== 0 || reject.code !== 'NOT_AN_ARTICLE' || ctx.opts.force) return false;
  const row = ctx.store.getUrl(page.key);
  return row?.status === 'rejected' && row.last_code === reject.code;
}

/** The line on disk is what was exported: take its version and cluster as written. */
function adopt(ctx: LedgerContext, record: ArticleRecord): void {
  const { store, opts, index } = ctx;
  const key = opts.keyOf(record.source);
  const row = store.getUrl(key);
  if (row?.exported_run === opts.runId && row.version >= record.version) return ctx.frontier.done(key);
  const sig = index && record.cluster_id ? signatureOf(record.text, opts.nearDup!) : null;
  if (sig && record.cluster_id) index!.restore(record.id, record.cluster_id, sig);
  remember(ctx, record, key, { site: row?.site ?? null, attempts: 0, etag: null, lastModified: null }, sig);
}
