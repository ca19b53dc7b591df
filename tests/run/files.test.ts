/** Where a run writes (src/run/files.ts): the default layout, -o FILE with its rejects and manifest beside it, -o - with them under output.dir. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { chooseFiles } from '../../src/run/files.js';
import type { RunSpec } from '../../src/run/types.js';

const startedAt = new Date('2026-12-04T10:00:00.000Z');
const spec = (over: Partial<RunSpec> = {}): RunSpec => ({ command: 'crawl', plan: { sites: [] } as unknown as RunSpec['plan'], planKey: null, refresh: false, force: false, conditional: true, ...over });
const config = (gzip = false) => {
  const c = defaultConfig();
  c.output.dir = '/out';
  c.output.gzip = gzip;
  return c;
};

describe('chooseFiles', () => {
  it('default: <output.dir>/<date>/<run-id>.jsonl, .rejects.jsonl, .manifest.json (.gz with output.gzip)', () => {
    expect(chooseFiles(spec(), config(), 'crawl-r', startedAt)).toEqual({ records: '/out/2026-12-04/crawl-r.jsonl', rejects: '/out/2026-12-04/crawl-r.rejects.jsonl', manifest: '/out/2026-12-04/crawl-r.manifest.json' });
    expect(chooseFiles(spec(), config(true), 'crawl-r', startedAt)).toMatchObject({ records: '/out/2026-12-04/crawl-r.jsonl.gz', rejects: '/out/2026-12-04/crawl-r.rejects.jsonl.gz' });
  });

  it('-o FILE: rejects and manifest beside it; --rejects wins', () => {
    expect(chooseFiles(spec({ output: '/data/news.jsonl.gz' }), config(), 'crawl-r', startedAt)).toEqual({ records: '/data/news.jsonl.gz', rejects: '/data/news.rejects.jsonl.gz', manifest: '/data/news.manifest.json' });
    expect(chooseFiles(spec({ output: '/data/news.jsonl', rejects: '/tmp/r.jsonl' }), config(), 'crawl-r', startedAt)).toMatchObject({ rejects: '/tmp/r.jsonl', manifest: '/data/news.manifest.json' });
  });

  it('-o -: records to stdout, rejects and manifest under output.dir', () => {
    expect(chooseFiles(spec({ output: '-' }), config(), 'crawl-r', startedAt)).toEqual({ records: '-', rejects: '/out/2026-12-04/crawl-r.rejects.jsonl', manifest: '/out/2026-12-04/crawl-r.manifest.json' });
  });
});
