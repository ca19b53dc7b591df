/**
 * Runs against the state store (src/run/: executeRun and the ledger), in process,
 * on a loopback site whose pages change between runs: incremental crawls,
 * conditional GET, versions, exact copies, near-duplicate clusters, retries
 * across runs, manifests and recrawl-style URL runs.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Config, defaultConfig } from '../../src/config/schema.js';
import type { SiteSource } from '../../src/config/sources.js';
import { createCrawlDeps } from '../../src/crawl/deps.js';
import { silentLogger } from '../../src/shared/log.js';
import { hostname } from 'node:os';
import { type RunSpec, type RunSummary, executeRun } from '../../src/run/index.js';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { openState } from '../../src/state/store.js';
import type { ArticleRecord } from '../../src/shared/types.js';
import { type NewsSite, articlePage, startNewsSite } from '../helpers/news-site.js';

const STORY = [
  'The city council approved on Tuesday a plan to rebuild the old harbour bridge, closed since last winter after engineers found deep cracks in two of its supporting pillars.',
  'Work will start in the spring and should take about eighteen months, the deputy mayor told reporters, adding that a ferry service would run every twenty minutes in the meantime.',
  'The project will cost about forty million euros, most of it from the regional budget, with the rest covered by a loan from the national infrastructure fund.',
  'Shop owners on both sides of the river welcomed the decision but said the closure had already cost them a third of their customers and asked for help with rents.',
  'Opposition members voted against the plan, arguing that a tunnel would have been cheaper to maintain and less exposed to the storms that hit the coast every autumn.',
];
/** The same story as another outlet wrote it: own intro, one sentence reworded, one dropped, order changed. */
const REWRITE = [
  'Local news desk: officials gave the go-ahead late on Tuesday.',
  'The city council approved on Tuesday a plan to rebuild the old harbour bridge, closed since last winter after engineers found deep cracks in two of its supporting pillars.',
  'The project will cost about forty million euros, most of it from the regional budget, with the rest covered by a loan from the national infrastructure fund.',
  'Work will begin in the spring and should take about eighteen months, the deputy mayor said, adding that a ferry service would run every twenty minutes in the meantime.',
  'Shop owners on both sides of the river welcomed the decision but said the closure had already cost them a third of their customers and asked for help with rents.',
];
const OTHER = [
  'The national football team beat its neighbours three goals to one on Saturday night, securing a place in the final round of the qualifiers for next summer\'s tournament.',
  'The captain scored twice in the first half, and a young substitute added a third with a long shot ten minutes from the end, to the delight of a sold-out stadium.',
  'The coach praised the defence but warned that the team would face much stronger opponents in the final round, starting with an away game in early March.',
  'Supporters celebrated in the streets of the capital until the early hours, and the police reported only minor incidents despite the size of the crowds.',
];

let site: NewsSite;
let dir: string;
let config: Config;

beforeAll(async () => {
  site = await startNewsSite();
});
afterAll(() => site.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nc-run-'));
  site.pages.clear();
  site.failing.clear();
  site.log.length = 0;
  site.pages.set('/news/bridge.html', articlePage('Harbour bridge to be rebuilt', STORY));
  site.pages.set('/news/football.html', articlePage('Team reaches final round', OTHER));
  config = defaultConfig();
  config.fetch = { ...config.fetch, allowPrivateNetworks: true, perHost: { concurrency: 2, delayMs: 0 }, retries: { ...config.fetch.retries, limit: 0 } };
  config.state = { ...config.state, path: join(dir, 'state.db'), retry: { maxRuns: 2, baseDelayMs: 0, maxDelayMs: 0 } };
  config.output = { dir: join(dir, 'out'), gzip: false };
  return () => rmSync(dir, { recursive: true, force: true });
});

const source = (): SiteSource => ({
  name: 'example', enabled: true, feeds: [], sitemaps: [`${site.origin}/sitemap.xml`], startUrls: [],
  follow: { allow: [], deny: [], maxDepth: 0 }, maxArticles: null, hosts: ['127.0.0.1'], perHost: null, userAgent: null,
});

function crawlSpec(over: Partial<RunSpec> = {}): RunSpec {
  return { command: 'crawl', plan: { sites: [source()], urls: [], maxArticles: null, since: null }, planKey: { sites: ['example'] }, refresh: false, force: false, conditional: true, ...over };
}

const run = (spec: RunSpec = crawlSpec()): Promise<RunSummary> => executeRun(spec, config, () => createCrawlDeps(config, silentLogger, 0), silentLogger);

function records(summary: RunSummary): ArticleRecord[] {
  const text = readFileSync(summary.files.records, 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ArticleRecord);
}
const byPath = (rs: ArticleRecord[], path: string): ArticleRecord | undefined => rs.find((r) => r.source.endsWith(path));

describe('incremental crawls', () => {
  it('writes records, rejects and an atomic manifest under <output-dir>/<date>/<run-id>.*', async () => {
    site.pages.set('/news/tiny.html', '<html><body><p>Too short.</p></body></html>');
    const s = await run();
    expect(s.files.records).toMatch(new RegExp(`out/\\d{4}-\\d{2}-\\d{2}/crawl-[^/]+\\.jsonl$`));
    expect(records(s).map((r) => r.version)).toEqual([1, 1]);
    const manifest = JSON.parse(readFileSync(s.files.manifest, 'utf8'));
    expect(manifest).toMatchObject({ run_id: s.runId, command: 'crawl', status: 'done', counts: { articles: 2, rejects: 1 }, rejects_by_code: { NOT_AN_ARTICLE: 1 } });
    expect(manifest.config_hash).toMatch(/^sha256:/);
    expect(manifest.versions).toMatchObject({ record_schema: 1, state_schema: MIGRATIONS.length });
    expect(readdirSync(join(s.files.manifest, '..')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a second crawl skips what the first exported; --refresh revisits with conditional GET and 304 gives no record', async () => {
    await run();
    const second = await run();
    expect(second.counts).toMatchObject({ articles: 0, known: 2 });
    site.log.length = 0;
    const refresh = await run(crawlSpec({ refresh: true }));
    expect(refresh.counts).toMatchObject({ articles: 0, unchanged: 2 });
    const pageHits = site.log.filter((l) => l.path.startsWith('/news/'));
    expect(pageHits.every((l) => l.conditional && l.status === 304)).toBe(true);
  });

  it('a changed page gets a new record with version 2 and previous_hash', async () => {
    const first = records(await run());
    site.pages.set('/news/bridge.html', articlePage('Harbour bridge to be rebuilt', [...STORY, 'Update: the council has now published the full tender documents online.']));
    const again = records(await run(crawlSpec({ refresh: true })));
    expect(again).toHaveLength(1);
    const before = byPath(first, '/news/bridge.html')!;
    expect(again[0]).toMatchObject({ id: before.id, version: 2, previous_hash: before.content_hash });
    expect(again[0]!.content_hash).not.toBe(before.content_hash);
  });

  it('a syndicated copy gets duplicate_of; a rewrite joins the cluster; another story does not', async () => {
    site.pages.set('/copy/bridge.html', articlePage('Harbour bridge to be rebuilt', STORY));
    site.pages.set('/other/bridge.html', articlePage('Green light for new bridge', REWRITE));
    const rs = records(await run());
    const original = byPath(rs, '/news/bridge.html')!;
    const copy = byPath(rs, '/copy/bridge.html')!;
    const [first, second] = original.duplicate_of === null ? [original, copy] : [copy, original];
    expect(second.duplicate_of).toBe(first.id);
    expect(first.duplicate_of).toBeNull();
    const rewrite = byPath(rs, '/other/bridge.html')!;
    expect(rewrite.cluster_id).toBe(first.cluster_id);
    expect(byPath(rs, '/news/football.html')!.cluster_id).not.toBe(first.cluster_id);
  });

  it('a transient failure is retried by the next run and given up after state.retry.maxRuns', async () => {
    site.failing.add('/news/football.html');
    const one = await run();
    expect(one.rejectsByCode).toEqual({ HTTP_503: 1 });
    const two = await run();
    expect(two.counts).toMatchObject({ articles: 0, rejects: 1, known: 1, givenUp: 1 });
    const three = await run();
    expect(three.counts).toMatchObject({ rejects: 0, known: 2 });
    const store = openState(config.state.path);
    expect(store.getUrl(`${site.origin}/news/football.html`)).toMatchObject({ status: 'gave_up', failed_runs: 2, last_code: 'HTTP_503' });
    store.close();
  });

  it('a failure that recovers is exported by the next run', async () => {
    site.failing.add('/news/football.html');
    await run();
    site.failing.clear();
    const next = records(await run());
    expect(next.map((r) => r.title)).toEqual(['Team reaches final round']);
  });
});

describe('URL runs (scrape, recrawl)', () => {
  const urlSpec = (over: Partial<RunSpec> = {}): RunSpec => {
    const urls = [`${site.origin}/news/bridge.html`, `${site.origin}/news/football.html`];
    return { command: 'recrawl', plan: { sites: [], urls, maxArticles: null, since: null }, planKey: { urls }, refresh: false, force: false, conditional: true, ...over };
  };

  it('given URLs are revisited with validators: nothing new, no record', async () => {
    await run();
    const again = await run(urlSpec());
    expect(again.counts).toMatchObject({ articles: 0, unchanged: 2 });
  });

  it('--force fetches without validators and exports every article again at the same version', async () => {
    await run();
    site.log.length = 0;
    const forced = await run(urlSpec({ force: true, conditional: false }));
    expect(forced.counts.articles).toBe(2);
    expect(site.log.some((l) => l.conditional)).toBe(false);
    expect(records(forced).map((r) => r.version)).toEqual([1, 1]);
  });

  it('-o - sends records to stdout-like targets; -o FILE puts rejects and manifest beside it', async () => {
    const out = join(dir, 'mine', 'articles.jsonl');
    const s = await run(crawlSpec({ output: out }));
    expect(s.files.records).toBe(out);
    expect(s.files.rejects).toBe(join(dir, 'mine', 'articles.rejects.jsonl'));
    expect(s.files.manifest).toBe(join(dir, 'mine', 'articles.manifest.json'));
    expect(existsSync(s.files.manifest)).toBe(true);
  });
});

describe('one run at a time', () => {
  it('refuses to take up an unfinished run whose process is alive on this host, and resumes it once that process is gone', async () => {
    const { spawn } = await import('node:child_process');
    const { hostname } = await import('node:os');
    const { createHash } = await import('node:crypto');
    const spec = crawlSpec();
    const planHash = createHash('sha256').update(JSON.stringify({ command: spec.command, plan: spec.planKey, refresh: false, force: false })).digest('hex');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const store = openState(config.state.path);
    // The owner as a run records it: pid, host, process start time and boot id (src/state/liveness.ts).
    const { ownerOf } = await import('../../src/state/liveness.js');
    const owner = ownerOf(other.pid!);
    store.beginRun({ run_id: 'crawl-other', command: 'crawl', plan_hash: planHash, started_at: Date.now(), records_path: join(dir, 'other.jsonl'), rejects_path: null, manifest_path: join(dir, 'other.manifest.json'), owner_pid: other.pid!, owner_host: hostname(), owner_started: owner.started, owner_boot: owner.boot });
    store.close();
    try {
      await expect(run(spec)).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS' });
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    const resumed = await run(spec);
    expect(resumed).toMatchObject({ runId: 'crawl-other', resumed: true });
    expect(resumed.counts.articles).toBe(2);
  });

  it('a run owned on another host (a container sharing the store) is alive while its heartbeat is recent', async () => {
    const { createHash } = await import('node:crypto');
    const spec = crawlSpec();
    const planHash = createHash('sha256').update(JSON.stringify({ command: spec.command, plan: spec.planKey, refresh: false, force: false })).digest('hex');
    const store = openState(config.state.path);
    store.beginRun({ run_id: 'crawl-elsewhere', command: 'crawl', plan_hash: planHash, started_at: Date.now(), records_path: join(dir, 'elsewhere.jsonl'), rejects_path: null, manifest_path: join(dir, 'elsewhere.manifest.json'), owner_pid: 1, owner_host: 'another-container' });
    store.heartbeat('crawl-elsewhere', Date.now() - 5_000);
    store.close();
    await expect(run(spec)).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', message: expect.stringContaining('another-container') });
    const stale = openState(config.state.path);
    stale.heartbeat('crawl-elsewhere', Date.now() - 5 * 60_000); // that container died without finishing
    stale.close();
    const resumed = await run(spec);
    expect(resumed).toMatchObject({ runId: 'crawl-elsewhere', resumed: true });
    const after = openState(config.state.path);
    expect(after.getRun('crawl-elsewhere')).toMatchObject({ status: 'done', owner_host: hostname() });
    expect(after.getRun('crawl-elsewhere')!.heartbeat_at).toBeGreaterThan(Date.now() - 60_000);
    after.close();
  });
});
