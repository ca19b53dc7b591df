/**
 * The fetcher's `archive` hook (src/stages/fetch/exchange.ts): every HTTP
 * exchange of a fetch reaches the archive as it went over the wire, against
 * a loopback server: redirect hops each with their own answer, a gzip body
 * still gzipped (Transfer-Encoding dropped: the body is no longer chunked),
 * a 404's page read to its end, each retry, a body cut at the cap marked
 * truncated, the server's address; the response's position comes back on
 * the fetch; a failed write fails the fetch with OUTPUT_FAILED.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { NewscleanError } from '../../../src/shared/errors.js';
import { type HttpExchange, createFetcher } from '../../../src/stages/fetch/index.js';

const PAGE = `<!doctype html><html><body><article>${'<p>The ferry sailed again on Monday.</p>'.repeat(20)}</article></body></html>`;
let origin = '';
let flaky = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const html = { 'content-type': 'text/html; charset=utf-8' };
  switch (req.url) {
    case '/gz':
      res.writeHead(200, { ...html, 'content-encoding': 'gzip' });
      return res.end(gzipSync(PAGE));
    case '/hop1':
      res.writeHead(301, { location: '/hop2', ...html });
      return res.end('<a href="/hop2">moved</a>');
    case '/hop2':
      res.writeHead(302, { location: `${origin}/gz` });
      return res.end();
    case '/flaky':
      if (flaky++ === 0) {
        res.writeHead(503, html);
        return res.end('<h1>busy</h1>');
      }
      res.writeHead(200, html);
      return res.end(PAGE);
    case '/big':
      res.writeHead(200, html);
      return res.end(PAGE.repeat(40));
    default:
      res.writeHead(404, html);
      // Written in two parts, apart: the archive waits for the whole error page.
      res.write('<h1>Not found</h1>');
      setTimeout(() => res.end('<p>Try the front page.</p>'), 50);
  }
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function archived(fetch: Record<string, unknown> = {}, write?: (x: HttpExchange) => Promise<{ file: string; offset: number; length: number } | null>) {
  const exchanges: HttpExchange[] = [];
  const config = ConfigSchema.parse({ fetch: { allowPrivateNetworks: true, retries: { limit: 2, baseDelayMs: 1, maxDelayMs: 1 }, ...fetch } }).fetch;
  const fetcher = createFetcher(config, {
    sleep: async () => undefined,
    archive: write ?? (async (x) => (exchanges.push(x), { file: 'w.warc.gz', offset: exchanges.length * 100, length: 10 })),
  });
  return { fetcher, exchanges };
}

const header = (x: HttpExchange, name: string): string | undefined => x.response.headers.find(([k]) => k.toLowerCase() === name)?.[1];

describe('fetcher archive hook', () => {
  it('every redirect hop is its own exchange; the body stays gzipped as sent; the position of the last answer comes back', async () => {
    const { fetcher, exchanges } = archived();
    const res = await fetcher.fetch(`${origin}/hop1`, { expect: 'html' });
    expect(res.bytes.toString()).toBe(PAGE);
    expect(exchanges.map((x) => [new URL(x.url).pathname, x.response.status])).toEqual([['/hop1', 301], ['/hop2', 302], ['/gz', 200]]);
    const last = exchanges[2]!;
    expect(gunzipSync(last.response.body).toString()).toBe(PAGE);
    expect(header(last, 'content-encoding')).toBe('gzip');
    expect(header(last, 'transfer-encoding')).toBeUndefined();
    expect(last.response.truncated).toBeNull();
    expect(exchanges[0]!.response.body.toString()).toBe('<a href="/hop2">moved</a>');
    expect(last.ip).toBe('127.0.0.1');
    expect(last.request).toMatchObject({ method: 'GET', target: '/gz' });
    expect(last.request.headers.some(([k, v]) => k.toLowerCase() === 'accept' && v.includes('text/html'))).toBe(true);
    expect(res.warc).toEqual({ file: 'w.warc.gz', offset: 300, length: 10 });
  });

  it("a 404's page is archived whole, and the fetch still fails with HTTP_404", async () => {
    const { fetcher, exchanges } = archived();
    const err = await fetcher.fetch(`${origin}/nowhere`, { expect: 'html' }).catch((e: unknown) => e);
    expect((err as NewscleanError).code).toBe('HTTP_404');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.response.body.toString()).toBe('<h1>Not found</h1><p>Try the front page.</p>');
    expect(exchanges[0]!.response.truncated).toBeNull();
  });

  it('each attempt of a retried fetch is archived', async () => {
    const { fetcher, exchanges } = archived();
    await fetcher.fetch(`${origin}/flaky`, { expect: 'html' });
    expect(exchanges.map((x) => x.response.status)).toEqual([503, 200]);
  });

  it('a body past the cap is kept up to the cap and marked truncated', async () => {
    const { fetcher, exchanges } = archived({ maxBytes: 2000 });
    const err = await fetcher.fetch(`${origin}/big`, { expect: 'html' }).catch((e: unknown) => e);
    expect((err as NewscleanError).code).toBe('TOO_LARGE');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.response.truncated).not.toBeNull();
    expect(exchanges[0]!.response.body.length).toBeLessThanOrEqual(2000);
  });

  it('a write that fails fails the fetch with OUTPUT_FAILED, not retried', async () => {
    let writes = 0;
    const { fetcher } = archived({}, async () => {
      writes++;
      throw new NewscleanError('OUTPUT_FAILED', 'cannot write warc: ENOSPC');
    });
    const err = await fetcher.fetch(`${origin}/gz`, { expect: 'html' }).catch((e: unknown) => e);
    expect((err as NewscleanError).code).toBe('OUTPUT_FAILED');
    expect(writes).toBe(1);
  });
});
