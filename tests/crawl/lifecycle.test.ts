/**
 * The crawl's lifetime against its caller: a long-lived stop signal (the
 * scheduler's) carries no listener once a run has ended, and a consumer that
 * stops reading (an output that failed) cancels the fetches in flight.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CleanPool } from '../../src/crawl/clean-pool.js';
import { defaultConfig } from '../../src/config/schema.js';
import { crawl } from '../../src/crawl/index.js';
import { silentLogger } from '../../src/shared/log.js';
import type { Fetcher, FetchResponse } from '../../src/stages/fetch/http.js';
import { createHostQueue } from '../../src/stages/fetch/host-queue.js';
import { loadUrlRules } from '../../src/stages/normalize/canonical-url.js';

const config = defaultConfig();
config.fetch = { ...config.fetch, concurrency: 4, perHost: { concurrency: 4, delayMs: 0 } };

const response = (url: string): FetchResponse => ({ url, status: 200, headers: {}, bytes: Buffer.from('<p>x</p>'), contentType: 'text/html', attempts: 1, elapsedMs: 1 }) as unknown as FetchResponse;
const pool: CleanPool = {
  threads: 0,
  started: false,
  ready: Promise.resolve(),
  process: async (page) => ({ ok: false, reject: { source: page.source, code: 'NOT_AN_ARTICLE', message: 'test' } }),
  close: async () => {},
};
const deps = (fetcher: Fetcher, signal?: AbortSignal) => ({
  config, fetcher, pool, robots: null, log: silentLogger, urlRules: loadUrlRules(),
  hosts: createHostQueue({ concurrency: 4, perHost: { concurrency: 4, delayMs: 0 }, maxDelayMs: 1000 }),
  ...(signal && { signal }),
});
const urls = Array.from({ length: 6 }, (_, i) => `https://news.example/${i}.html`);

describe('crawl lifetime', () => {
  it('leaves no listener on the caller\'s signal after each run (the scheduler reuses one for every run)', async () => {
    const stop = new AbortController();
    const fetcher: Fetcher = { fetch: async (url) => response(url) };
    for (let run = 0; run < 15; run++) {
      for await (const _ of crawl({ sites: [], urls, maxArticles: null, since: null }, deps(fetcher, stop.signal)).outcomes) void _;
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('a consumer that stops reading cancels the fetches in flight', async () => {
    const signals: AbortSignal[] = [];
    let served = 0;
    const fetcher: Fetcher = {
      fetch: (url, opts) =>
        served++ === 0
          ? Promise.resolve(response(url))
          : new Promise((_, reject) => {
              signals.push(opts.signal!);
              opts.signal!.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
            }),
    };
    for await (const o of crawl({ sites: [], urls, maxArticles: null, since: null }, deps(fetcher)).outcomes) {
      void o;
      while (signals.length < 3) await new Promise((r) => setTimeout(r, 5));
      break; // the output failed: nobody reads the rest
    }
    expect(signals.length).toBeGreaterThanOrEqual(3);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('back-pressure: a consumer that falls behind holds new fetches back; it gets every outcome in the end', async () => {
    let fetches = 0;
    const fetcher: Fetcher = { fetch: async (url) => (fetches++, response(url)) };
    const many = Array.from({ length: 200 }, (_, i) => `https://news.example/p/${i}.html`);
    const run = crawl({ sites: [], urls: many, maxArticles: null, since: null }, deps(fetcher)).outcomes[Symbol.asyncIterator]();
    await run.next(); // read one, then stall like a slow disk
    await new Promise((r) => setTimeout(r, 200));
    // concurrency 4 → 8 jobs in flight at most, 16 outcomes buffered at most
    expect(fetches).toBeLessThanOrEqual(4 * 2 + 4 * 2 * 2 + 1);
    let got = 1;
    while (!(await run.next()).done) got++;
    expect(got).toBe(200);
    expect(fetches).toBe(200);
  });
});
