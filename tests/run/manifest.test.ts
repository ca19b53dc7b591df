/**
 * The manifest's shape (src/run/manifest.ts), the one writer of crawl, scrape
 * and recrawl manifests and of extract's and clean-text's (--output-dir): the
 * keys in their order on disk, crawl-only fields absent from the others.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { manifestOf, writeManifest } from '../../src/run/manifest.js';
import { buildReport } from '../../src/run/summary.js';
import { VERSION } from '../../src/shared/version.js';

const files = { records: '/out/2026-12-04/r.jsonl', rejects: '/out/2026-12-04/r.rejects.jsonl', manifest: '/out/2026-12-04/r.manifest.json' };
const startedAt = new Date('2026-12-04T10:00:00.000Z');
const base = { runId: 'crawl-r', command: 'crawl', startedAt, files, counts: { articles: 2, rejects: 1 }, rejectsByCode: { HTTP_404: 1 } };
const report = buildReport({ status: 'done', seconds: 1, counts: { articles: 2, rejects: 1, unchanged: 0, known: 0, skipped: 0, fetched: 3, deferred: 0 }, rejectsByCode: { HTTP_404: 1 }, bytes: 10, hosts: {}, fetchMs: [] }, []);

describe('manifestOf', () => {
  it('a crawl run: every field, in the order written since the first release', () => {
    const config = defaultConfig();
    const m = manifestOf({ ...base, status: 'done', run: { resumed: false, plan: { sites: ['a'] }, config, stateSchema: 7, sitesFailed: [], summary: report } });
    expect(Object.keys(m)).toEqual(['run_id', 'command', 'status', 'started_at', 'ended_at', 'resumed', 'plan', 'config_hash', 'files', 'counts', 'rejects_by_code', 'sites_failed', 'summary', 'versions']);
    expect(Object.keys(m.versions)).toEqual(['newsclean', 'node', 'state_schema', 'record_schema']);
    expect(m).toMatchObject({ run_id: 'crawl-r', started_at: '2026-12-04T10:00:00.000Z', resumed: false, plan: { sites: ['a'] }, files, versions: { newsclean: VERSION, node: process.version, state_schema: 7, record_schema: 1 } });
    expect(m.config_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifestOf({ ...base, status: 'done', run: { resumed: false, plan: null, config: defaultConfig(), stateSchema: 7, sitesFailed: [] } }).config_hash).toBe(m.config_hash);
    expect(Date.parse(m.ended_at!)).not.toBeNaN();
  });

  it('while it runs: ended_at null, no summary yet', () => {
    const m = manifestOf({ ...base, status: 'running', run: { resumed: true, plan: null, config: defaultConfig(), stateSchema: 7, sitesFailed: [] } });
    expect(m.ended_at).toBeNull();
    expect(m).not.toHaveProperty('summary');
    expect(m.resumed).toBe(true);
  });

  it('extract and clean-text: none of the crawl-only fields', () => {
    const m = manifestOf({ ...base, command: 'extract', status: 'interrupted' });
    expect(Object.keys(m)).toEqual(['run_id', 'command', 'status', 'started_at', 'ended_at', 'files', 'counts', 'rejects_by_code', 'versions']);
    expect(m.versions).toEqual({ newsclean: VERSION, node: process.version, record_schema: 1 });
  });
});

describe('writeManifest', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON and replaces an earlier manifest whole, leaving no temporary file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsclean-manifest-'));
    const path = join(dir, 'r.manifest.json');
    await writeManifest(path, manifestOf({ ...base, status: 'running' }));
    await writeManifest(path, manifestOf({ ...base, status: 'done' }));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ run_id: 'crawl-r', status: 'done', counts: { articles: 2, rejects: 1 } });
    expect(readdirSync(dir)).toEqual(['r.manifest.json']);
  });
});
