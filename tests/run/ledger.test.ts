/**
 * The ledger's say on what an article is (src/run/ledger.ts): one page, one
 * id. A second URL whose canonical URL (hence id) another URL already
 * exported is a DUPLICATE_URL reject, in the same run or a later one, and
 * duplicate_of never names the record's own id.
 */
import { describe, expect, it } from 'vitest';
import { type Ledger, type LedgerOptions, createLedger } from '../../src/run/ledger.js';
import type { StateStore } from '../../src/state/store.js';
import type { ArticleRecord } from '../../src/shared/types.js';
import { trackStateStores } from '../helpers/state-stores.js';
import { defaultConfig } from '../../src/config/schema.js';

const { open } = trackStateStores('newsclean-ledger-');

const CANONICAL = 'https://news.example/a.html';
const ID = 'a1a1a1a1a1a1a1a1';

function article(url: string, over: Partial<ArticleRecord> = {}): ArticleRecord {
  return {
    schema_version: 1, id: ID, source: url, url, canonical_url: CANONICAL, site_name: null, title: 'A', authors: [], source_agency: null,
    published_at: null, modified_at: null, lang: 'en', dir: 'ltr', description: null, section: null, tags: [], image: null,
    text: 'The story.', word_count: 2, content_hash: 'sha256:aaaa', version: 1, previous_hash: null, duplicate_of: null, cluster_id: null,
    extracted_at: '2026-12-04T00:00:00.000Z', extractor: { name: 'newsclean', version: '0' }, ...over,
  };
}

function ledger(store: StateStore, runId: string, over: Partial<LedgerOptions> = {}): Ledger {
  return createLedger(store, {
    runId, refresh: false, force: false, conditional: true, retry: { maxRuns: 3, baseDelayMs: 1, maxDelayMs: 10 }, nearDup: null,
    transient: () => false, keyOf: (u) => u, ...over,
  });
}

/** prepare + commit as run/outcomes.ts does; the reject, if any, is passed back to the ledger. */
function settle(l: Ledger, record: ArticleRecord): ArticleRecord | string {
  const p = l.prepare(record);
  if (p.unchanged) return 'unchanged';
  if (p.reject) {
    l.rejected(p.reject);
    return `${p.reject.code}: ${p.reject.message}`;
  }
  p.commit();
  return p.record;
}

describe('run ledger: one page, one id', () => {
  it('rejects a second URL of the same page in one run as DUPLICATE_URL naming the first', () => {
    const l = ledger(open(), 'run-1');
    const first = settle(l, article(CANONICAL));
    expect(first).toMatchObject({ id: ID, duplicate_of: null });
    const amp = settle(l, article('https://news.example/amp/a.html'));
    expect(amp).toMatch(/^DUPLICATE_URL: same page as https:\/\/news\.example\/a\.html .*a1a1a1a1a1a1a1a1/);
    // A different text makes no difference: it is the same page (same canonical, same id).
    expect(settle(l, article('https://news.example/a.html?x=1', { content_hash: 'sha256:bbbb' }))).toMatch(/^DUPLICATE_URL/);
  });

  it('rejects it in a later run too, and remembers the reject', () => {
    const store = open();
    settle(ledger(store, 'run-1'), article('https://news.example/amp/a.html'));
    const again = settle(ledger(store, 'run-2'), article(CANONICAL));
    expect(again).toMatch(/^DUPLICATE_URL: same page as https:\/\/news\.example\/amp\/a\.html/);
    expect(store.getUrl(CANONICAL)).toMatchObject({ status: 'rejected', last_code: 'DUPLICATE_URL', article_id: null });
  });

  it('lets the same URL export a new version of its own page', () => {
    const store = open();
    settle(ledger(store, 'run-1'), article(CANONICAL));
    const changed = settle(ledger(store, 'run-2', { refresh: true }), article(CANONICAL, { content_hash: 'sha256:bbbb' }));
    expect(changed).toMatchObject({ id: ID, version: 2, previous_hash: 'sha256:aaaa', duplicate_of: null });
  });

  it('with --force exports again across runs, but duplicate_of never names the record itself', () => {
    const store = open();
    settle(ledger(store, 'run-1'), article('https://news.example/amp/a.html'));
    const forced = ledger(store, 'run-2', { force: true });
    const again = settle(forced, article(CANONICAL));
    expect(again).toMatchObject({ id: ID, duplicate_of: null });
    // ...and still once per run.
    expect(settle(forced, article('https://news.example/a.html?ref=1'))).toMatch(/^DUPLICATE_URL/);
  });

  it('still marks a syndicated copy (same text, another page) with the first article id', () => {
    const l = ledger(open(), 'run-1');
    settle(l, article(CANONICAL));
    const copy = settle(l, article('https://other.example/b.html', { id: 'b2b2b2b2b2b2b2b2', canonical_url: 'https://other.example/b.html' }));
    expect(copy).toMatchObject({ id: 'b2b2b2b2b2b2b2b2', duplicate_of: ID });
  });
});

describe('catchUpClusters: ledgers of several workers over one state', () => {
  const { enabled: _on, ...nearDup } = defaultConfig().dedupe.nearDuplicates;
  const story = (n: number, tail: string): string =>
    `The regional council approved the new ferry timetable on Monday after a long debate about costs, repairs of the old pier and the needs of residents on the islands. ${'Officials said the first boats would sail in spring and that fares would stay as they are for a year. '.repeat(3)}${tail} ${n}`;
  const near = (url: string, id: string, text: string): ArticleRecord =>
    article(url, { id, canonical_url: url, text, content_hash: `sha256:${id}`, word_count: text.split(' ').length });

  it('an article another ledger clustered after this one was opened is found once caught up', () => {
    const store = open();
    const a = ledger(store, 'r1', { nearDup });
    const b = ledger(store, 'r1', { nearDup }); // opened at the same time: A's article is not in its index yet
    const first = settle(a, near('https://news.example/1.html', 'id-one', story(1, 'Reported by the desk.'))) as ArticleRecord;
    expect(first.cluster_id).toBe('id-one');
    b.catchUpClusters();
    const second = settle(b, near('https://news.example/2.html', 'id-two', story(1, 'Reported by the newsroom.'))) as ArticleRecord;
    expect(second.cluster_id).toBe('id-one');
  });

  it('without catching up, the second ledger opens a cluster of its own (what catching up fixes)', () => {
    const store = open();
    const a = ledger(store, 'r1', { nearDup });
    const b = ledger(store, 'r1', { nearDup });
    settle(a, near('https://news.example/1.html', 'id-one', story(1, 'Reported by the desk.')));
    const second = settle(b, near('https://news.example/2.html', 'id-two', story(1, 'Reported by the newsroom.'))) as ArticleRecord;
    expect(second.cluster_id).toBe('id-two');
  });
});
