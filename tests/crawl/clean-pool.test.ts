import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type CleanPool, createCleanPool } from '../../src/crawl/clean-pool.js';
import { defaultConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/shared/log.js';

const page = (): Buffer => readFileSync(new URL('../fixtures/ar-wordpress-comments.html', import.meta.url));
const now = new Date('2026-11-21T12:00:00Z');

let pool: CleanPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('createCleanPool', () => {
  it('worker threads say when they are ready, then clean pages handed over without a copy', async () => {
    pool = createCleanPool(defaultConfig(), 2, silentLogger);
    let settled = false;
    const ready = pool.ready.then(() => (settled = true));
    await delay(20);
    expect(settled).toBe(false); // two threads still loading modules and the language model (hundreds of ms)
    await ready;
    const bytes = page();
    const outcome = await pool.process({ source: 'x', url: 'https://example.com/a.html', bytes, contentType: 'text/html' }, { collectLinks: false, now });
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.record.lang).toBe('ar');
    expect(bytes.byteLength).toBe(0); // transferred: the main thread no longer holds the page
  });

  it('no thread starts before the first page: a run with nothing to clean closes at once', async () => {
    pool = createCleanPool(defaultConfig(), 2, silentLogger);
    expect(pool.started).toBe(false);
    await pool.close();
    expect(pool.started).toBe(false);
  });

  it('close() while the workers are still loading waits for them instead of terminating a thread mid-load', async () => {
    pool = createCleanPool(defaultConfig(), 2, silentLogger);
    // The page may be cleaned or cut off by the close: either is fine, an abort of the process is not.
    const outcome = pool.process({ source: 'x', url: 'https://example.com/a.html', bytes: page(), contentType: 'text/html' }, { collectLinks: false, now }).catch(() => undefined);
    expect(pool.started).toBe(true);
    await pool.close(); // the process would abort (exit 134) if a thread were terminated inside its module load
    await outcome;
    pool = undefined;
  });

  it('a page queued before the workers are ready is cleaned once they are', async () => {
    pool = createCleanPool(defaultConfig(), 1, silentLogger);
    const outcome = await pool.process({ source: 'x', url: 'https://example.com/a.html', bytes: page(), contentType: 'text/html' }, { collectLinks: false, now });
    expect(outcome.ok).toBe(true);
    await expect(pool.ready).resolves.toBeUndefined();
  });

  it('a broken rule file rejects each page, naming the file, instead of killing the threads', async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'newsclean-rules-'));
    cpSync(fileURLToPath(new URL('../../config/rules', import.meta.url)), rulesDir, { recursive: true });
    writeFileSync(join(rulesDir, 'boilerplate.json'), '{not json');
    const config = defaultConfig();
    config.clean = { ...config.clean, rulesDir };
    pool = createCleanPool(config, 2, silentLogger);
    await pool.ready;
    for (const n of [1, 2, 3]) {
      await expect(pool.process({ source: 'x', url: `https://example.com/${n}.html`, bytes: page(), contentType: 'text/html' }, { collectLinks: false, now }))
        .rejects.toThrow(/boilerplate\.json/);
    }
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('a page that exhausts a worker\'s heap is a TOO_COMPLEX reject, and the pool goes on with a fresh worker', async () => {
    // The trap: a few MB of unclosed tags, under clean.maxElements but too many for the worker's bounded heap.
    const story = `<p>${'Words of a short story about the harbour. '.repeat(12)}</p>`;
    const bytes = Buffer.from(`<html><body>${story}${'<b>x'.repeat(900_000)}</body></html>`);
    pool = createCleanPool(defaultConfig(), 1, silentLogger);
    await pool.ready;
    const outcome = await pool.process({ source: 'tags.html', url: 'https://example.com/tags.html', bytes, contentType: 'text/html' }, { collectLinks: false, now });
    expect(outcome.ok ? 'ok' : outcome.reject).toMatchObject({ source: 'tags.html', code: 'TOO_COMPLEX', message: expect.stringMatching(/out of memory/) });
    const next = await pool.process({ source: 'x', url: 'https://example.com/a.html', bytes: page(), contentType: 'text/html' }, { collectLinks: false, now });
    expect(next.ok).toBe(true);
  }, 60_000);

  it('with no threads it cleans inline, ready once the pipeline is loaded', async () => {
    pool = createCleanPool(defaultConfig(), 0, silentLogger);
    await pool.ready;
    const outcome = await pool.process({ source: 'x', url: 'https://example.com/a.html', bytes: page(), contentType: 'text/html' }, { collectLinks: false, now });
    expect(pool.threads).toBe(0);
    expect(outcome.ok).toBe(true);
  });
});
