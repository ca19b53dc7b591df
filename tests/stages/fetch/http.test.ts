import type dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, type ConfigInput } from '../../../src/config/schema.js';
import { NewscleanError } from '../../../src/shared/errors.js';
import { createFetcher, parseRetryAfter, type FetcherHooks, type FetchOptions } from '../../../src/stages/fetch/http.js';
import { createHostQueue } from '../../../src/stages/fetch/host-queue.js';

const UA = 'newsclean-test/1.0 (+https://example.org/bot)';
const SITE = 'https://news.example';
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const PAGE = '<!doctype html><html><body><p>مرحبا</p></body></html>';

/** A fake dns.lookup answering every name with `address`. */
/** nock 14 needs a real Error in replyWithError (a plain object crashes its interceptor). */
const netError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

const lookupTo = (address: string): typeof dns.lookup =>
  ((_host: string, opts: dns.LookupOptions, cb: (...a: unknown[]) => void) => {
    const family = net.isIP(address);
    if (opts.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as typeof dns.lookup;

type FetchInput = NonNullable<ConfigInput['fetch']>;

/** A fetcher with fast, recorded waits; returns the recordings too. */
function setup(fetch: FetchInput = {}, hooks: FetcherHooks = {}) {
  const delays: number[] = [];
  const throttles: [string, number, number | null][] = [];
  const config = ConfigSchema.parse({
    fetch: { userAgent: UA, ...fetch, retries: { limit: 2, baseDelayMs: 100, maxDelayMs: 1000, ...fetch.retries } },
  }).fetch;
  const fetcher = createFetcher(config, {
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    lookup: lookupTo('93.184.216.34'),
    onThrottle: (...a) => void throttles.push(a),
    ...hooks,
  });
  const get = (url: string, opts: Partial<FetchOptions> = {}) => fetcher.fetch(url, { expect: 'html', ...opts });
  return { get, delays, throttles };
}

/** The NewscleanError a promise rejects with (fails the test on anything else). */
async function failure(p: Promise<unknown>): Promise<NewscleanError> {
  const err = await p.then(() => new Error('resolved'), (e: unknown) => e);
  if (!(err instanceof NewscleanError)) throw new Error(`expected a NewscleanError, got ${String(err)}`);
  return err;
}

describe('fetcher (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());

  it('fetches a page, sending the User-Agent and an HTML Accept', async () => {
    nock(SITE).get('/a').matchHeader('user-agent', UA).matchHeader('accept', /^text\/html/).reply(200, PAGE, HTML);
    const { get, delays } = setup();
    const res = await get(`${SITE}/a`);
    expect(res).toMatchObject({ requestedUrl: `${SITE}/a`, url: `${SITE}/a`, status: 200, contentType: HTML['content-type'], attempts: 1, redirects: [] });
    expect(res.bytes.toString('utf8')).toBe(PAGE);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(delays).toEqual([]);
  });

  it('retries 5xx with exponential backoff and full jitter, capped by maxDelayMs', async () => {
    nock(SITE).get('/flaky').times(3).reply(500).get('/flaky').reply(200, PAGE, HTML);
    const { get, delays } = setup({ retries: { limit: 3, baseDelayMs: 100, maxDelayMs: 150 } });
    const res = await get(`${SITE}/flaky`);
    expect(res.attempts).toBe(4);
    // random() = 0.5 × min(150, 100 × 2^(n-1)) for n = 1, 2, 3
    expect(delays).toEqual([50, 75, 75]);
  });

  it('500, 500, then 200: attempts 3', async () => {
    nock(SITE).get('/x').twice().reply(500).get('/x').reply(200, PAGE, HTML);
    const { get, delays } = setup();
    expect((await get(`${SITE}/x`)).attempts).toBe(3);
    expect(delays).toEqual([50, 100]);
  });

  it('honours Retry-After in seconds on 429 and reports the throttle', async () => {
    nock(SITE).get('/t').reply(429, '', { 'retry-after': '7' }).get('/t').reply(200, PAGE, HTML);
    const { get, delays, throttles } = setup();
    expect((await get(`${SITE}/t`)).attempts).toBe(2);
    expect(delays).toEqual([7000]);
    expect(throttles).toEqual([['news.example', 429, 7000]]);
  });

  it('honours Retry-After as an HTTP date, capped at maxRetryAfterMs', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    const in30s = new Date(Date.now() + 30_000).toUTCString();
    nock(SITE).get('/d').reply(429, '', { 'retry-after': inAnHour }).get('/d').reply(429, '', { 'retry-after': in30s }).get('/d').reply(200, PAGE, HTML);
    const { get, delays, throttles } = setup({ retries: { maxRetryAfterMs: 60_000 } });
    await get(`${SITE}/d`);
    expect(delays[0]).toBe(60_000);
    expect(delays[1]).toBeGreaterThan(27_000);
    expect(delays[1]).toBeLessThanOrEqual(30_000);
    expect(throttles.map((t) => t[2])).toEqual(delays);
  });

  it('parseRetryAfter reads seconds and dates, clamps, and ignores junk', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('120', 1e9, now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT', 1e9, now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', 1e9, now)).toBe(0);
    expect(parseRetryAfter('999999', 5000, now)).toBe(5000);
    expect(parseRetryAfter('soon', 5000, now)).toBeNull();
    expect(parseRetryAfter(undefined, 5000, now)).toBeNull();
  });

  it('404 is final at once', async () => {
    nock(SITE).get('/missing').reply(404, 'nope');
    const { get, delays } = setup();
    const err = await failure(get(`${SITE}/missing`));
    expect([err.code, err.attempts]).toEqual(['HTTP_404', 1]);
    expect(delays).toEqual([]);
  });

  it('503 after all retries is HTTP_503; each 503 is reported as a throttle', async () => {
    nock(SITE).get('/busy').times(3).reply(503);
    const { get, delays, throttles } = setup();
    const err = await failure(get(`${SITE}/busy`));
    expect([err.code, err.attempts]).toEqual(['HTTP_503', 3]);
    expect(delays).toEqual([50, 100]);
    expect(throttles).toEqual([['news.example', 503, null], ['news.example', 503, null], ['news.example', 503, null]]);
  });

  it('a connection reset is retried, then succeeds', async () => {
    nock(SITE).get('/r').replyWithError(netError('ECONNRESET', 'socket hang up')).get('/r').reply(200, PAGE, HTML);
    const { get } = setup();
    expect((await get(`${SITE}/r`)).attempts).toBe(2);
  });

  it('resets on every attempt end as FETCH_FAILED with the cause kept', async () => {
    nock(SITE).get('/r').times(3).replyWithError(netError('ECONNRESET', 'socket hang up'));
    const { get } = setup();
    const err = await failure(get(`${SITE}/r`));
    expect([err.code, err.attempts]).toEqual(['FETCH_FAILED', 3]);
    expect(err.cause).toBeDefined();
  });

  it('a DNS failure (ENOTFOUND) is final', async () => {
    nock(SITE).get('/').replyWithError(netError('ENOTFOUND', 'getaddrinfo ENOTFOUND news.example'));
    const err = await failure(setup().get(`${SITE}/`));
    expect([err.code, err.attempts]).toEqual(['FETCH_FAILED', 1]);
  });

  it('refuses a body whose Content-Length is over maxBytes, without retrying', async () => {
    nock(SITE).get('/big').reply(200, 'x'.repeat(2000), { ...HTML, 'content-length': '2000' });
    const err = await failure(setup({ maxBytes: 1000 }).get(`${SITE}/big`));
    expect([err.code, err.attempts]).toEqual(['TOO_LARGE', 1]);
  });

  it('caps the decompressed size, not the wire size', async () => {
    const bomb = gzipSync(Buffer.alloc(200_000, 0x20));
    nock(SITE).get('/bomb').reply(200, bomb, { ...HTML, 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
    const err = await failure(setup({ maxBytes: 10_000 }).get(`${SITE}/bomb`));
    expect(err.code).toBe('TOO_LARGE');
  });

  it('follows redirects and records the chain', async () => {
    nock(SITE).get('/old').reply(301, '', { location: '/mid' }).get('/mid').reply(302, '', { location: `${SITE}/new` }).get('/new').reply(200, PAGE, HTML);
    const res = await setup().get(`${SITE}/old`);
    expect(res).toMatchObject({ url: `${SITE}/new`, requestedUrl: `${SITE}/old`, redirects: [`${SITE}/mid`, `${SITE}/new`], attempts: 1 });
  });

  it('detects a redirect loop', async () => {
    nock(SITE).get('/a').reply(302, '', { location: '/b' }).get('/b').reply(302, '', { location: '/a' });
    const err = await failure(setup().get(`${SITE}/a`));
    expect([err.code, err.attempts]).toEqual(['REDIRECT_LOOP', 1]);
  });

  it('stops after maxRedirects', async () => {
    const scope = nock(SITE);
    for (let i = 0; i < 3; i++) scope.get(`/r${i}`).reply(302, '', { location: `/r${i + 1}` });
    const err = await failure(setup({ maxRedirects: 2 }).get(`${SITE}/r0`));
    expect([err.code, err.attempts]).toEqual(['TOO_MANY_REDIRECTS', 1]);
  });

  it('rejects an image when HTML is expected, before reading it', async () => {
    nock(SITE).get('/logo').reply(200, Buffer.alloc(100), { 'content-type': 'image/png' });
    const err = await failure(setup().get(`${SITE}/logo`));
    expect([err.code, err.attempts]).toEqual(['NOT_HTML', 1]);
  });

  it('sniffs a page served with no content-type', async () => {
    nock(SITE).get('/bare').reply(200, `  \n${PAGE}`).get('/blob').reply(200, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const { get } = setup();
    expect((await get(`${SITE}/bare`)).contentType).toBeNull();
    expect((await failure(get(`${SITE}/blob`))).code).toBe('NOT_HTML');
  });

  it('accepts feeds as xml and gunzips a gzipped sitemap', async () => {
    const rss = '<?xml version="1.0"?><rss version="2.0"><channel/></rss>';
    const sitemap = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>';
    nock(SITE)
      .get('/feed').reply(200, rss, { 'content-type': 'application/rss+xml; charset=utf-8' })
      .get('/feed.json').reply(200, '{"version":"https://jsonfeed.org/version/1.1"}', { 'content-type': 'application/feed+json' })
      .get('/sitemap.xml.gz').reply(200, gzipSync(sitemap), { 'content-type': 'application/x-gzip' })
      .get('/blob').reply(200, gzipSync(sitemap), { 'content-type': 'application/octet-stream' });
    const { get } = setup();
    const xml = { expect: 'xml' } as const;
    expect((await get(`${SITE}/feed`, xml)).bytes.toString()).toBe(rss);
    expect((await get(`${SITE}/feed.json`, xml)).status).toBe(200);
    expect((await get(`${SITE}/sitemap.xml.gz`, xml)).bytes.toString()).toBe(sitemap);
    expect((await failure(get(`${SITE}/blob`, xml))).code).toBe('NOT_HTML'); // octet-stream only for .gz URLs
  });

  it('applies maxBytes to a gunzipped sitemap too', async () => {
    nock(SITE).get('/sitemap.xml.gz').reply(200, gzipSync(Buffer.alloc(50_000, 0x20)), { 'content-type': 'application/gzip' });
    const err = await failure(setup({ maxBytes: 10_000 }).get(`${SITE}/sitemap.xml.gz`, { expect: 'xml' }));
    expect(err.code).toBe('TOO_LARGE');
  });

  it('text accepts anything', async () => {
    nock(SITE).get('/robots.txt').reply(200, 'User-agent: *\nDisallow: /private\n', { 'content-type': 'text/plain' });
    expect((await setup().get(`${SITE}/robots.txt`, { expect: 'text' })).bytes.toString()).toContain('Disallow');
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('undoes content-encoding %s', async (encoding, compress) => {
    nock(SITE).get('/z').matchHeader('accept-encoding', new RegExp(encoding)).reply(200, compress(Buffer.from(PAGE)), { ...HTML, 'content-encoding': encoding });
    expect((await setup().get(`${SITE}/z`)).bytes.toString('utf8')).toBe(PAGE);
  });

  it('sends extra headers and returns 304 with empty bytes', async () => {
    nock(SITE).get('/c').matchHeader('if-none-match', '"v1"').reply(304, '', { etag: '"v1"' });
    const res = await setup().get(`${SITE}/c`, { headers: { 'If-None-Match': '"v1"' } });
    expect([res.status, res.bytes.length, res.headers.etag]).toEqual([304, 0, '"v1"']);
  });

  it.each(['ftp://news.example/x', 'not a url', '/relative/path', 'file:///etc/passwd'])('refuses %s as INVALID_URL', async (url) => {
    const err = await failure(setup().get(url));
    expect([err.code, err.attempts]).toEqual(['INVALID_URL', 0]);
  });

  it.each(['http://127.0.0.1/', 'http://localhost:8080/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:10.0.0.1]/'])(
    'refuses %s without a request',
    async (url) => {
      const err = await failure(setup().get(url));
      expect([err.code, err.attempts]).toEqual(['PRIVATE_NETWORK', 0]);
    },
  );

  it('refuses a redirect to a private address', async () => {
    nock(SITE).get('/go').reply(302, '', { location: 'http://127.0.0.1/admin' });
    const err = await failure(setup().get(`${SITE}/go`));
    expect([err.code, err.attempts]).toEqual(['PRIVATE_NETWORK', 1]);
  });

  it('never throws anything but NewscleanError, even for a bad proxy setting', async () => {
    const err = await failure(setup({ proxy: 'not a proxy' }).get(`${SITE}/`));
    expect(err.code).toBe('CONFIG_INVALID');
  });

  it('each attempt goes through the schedule hook (the host queue), with its back-off as delayMs', async () => {
    nock(SITE).get('/x').twice().reply(500).get('/x').reply(200, PAGE, HTML);
    const calls: Array<[string, number]> = [];
    const { get, delays } = setup({}, {
      schedule: (url, attempt, { delayMs }) => {
        calls.push([url, delayMs]);
        return attempt(() => undefined);
      },
    });
    expect((await get(`${SITE}/x`)).attempts).toBe(3);
    expect(calls).toEqual([[`${SITE}/x`, 0], [`${SITE}/x`, 50], [`${SITE}/x`, 100]]);
    expect(delays).toEqual([]); // the schedule waits, not the fetcher
  });

  it('an abort during a Retry-After wait ends the fetch promptly with INTERRUPTED (attempts made: 1)', async () => {
    nock(SITE).get('/wait').reply(503, '', { 'retry-after': '120' });
    const { get } = setup({ retries: { maxRetryAfterMs: 120_000 } }, { sleep: undefined }); // the real, abortable sleep
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const t0 = Date.now();
    const err = await failure(get(`${SITE}/wait`, { waitSignal: stop.signal }));
    expect([err.code, err.attempts]).toEqual(['INTERRUPTED', 1]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('through a host queue: a host answering 503 Retry-After: 120 leaves the only fetch slot to other hosts', async () => {
    const OTHER = 'https://other.example';
    nock(SITE).get('/busy').reply(503, '', { 'retry-after': '120' });
    nock(OTHER).get('/1').reply(200, PAGE, HTML).get('/2').reply(200, PAGE, HTML).get('/3').reply(200, PAGE, HTML);
    const hosts = createHostQueue({ concurrency: 1, perHost: { concurrency: 1, delayMs: 0 }, maxDelayMs: 120_000 });
    const { get } = setup({ retries: { maxRetryAfterMs: 120_000 } }, {
      schedule: (url, attempt, { delayMs, signal }) => hosts.run(url, attempt, { signal, notBefore: Date.now() + delayMs }),
      onThrottle: (host, _status, retryAfterMs) => hosts.throttle(host, retryAfterMs),
    });
    const stop = new AbortController();
    const busy = failure(get(`${SITE}/busy`, { waitSignal: stop.signal }));
    await new Promise((r) => setTimeout(r, 50)); // the 503 is in; its retry waits 120 s
    const t0 = Date.now();
    const others = await Promise.all([1, 2, 3].map((n) => get(`${OTHER}/${n}`)));
    expect(others.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(Date.now() - t0).toBeLessThan(2000);
    stop.abort();
    expect((await busy).code).toBe('INTERRUPTED');
    expect(hosts.size()).toBe(0);
  });
});

/** Real sockets: timeouts, resets mid-body, DNS answers and a CONNECT proxy cannot be faked with nock. */
describe('fetcher (loopback server)', () => {
  let server: http.Server;
  let proxy: http.Server;
  let base: string;
  let port: number;
  const connects: string[] = [];
  const arrivals: Array<{ path: string; at: number }> = [];
  let endlessSent = 0;
  /** Chunked HTML (no Content-Length) for as long as the client keeps reading. */
  const endless = (res: http.ServerResponse): void => {
    res.writeHead(200, HTML);
    const more = (): void => {
      if (res.destroyed || endlessSent > 5_000_000) return void res.end();
      endlessSent += 1000;
      if (res.write(Buffer.alloc(1000, 'x'))) setImmediate(more);
      else res.once('drain', more);
    };
    more();
  };

  beforeAll(async () => {
    nock.restore(); // real sockets from here on
    server = http.createServer((req, res) => {
      arrivals.push({ path: req.url ?? '', at: performance.now() });
      if (req.url === '/ok') return res.writeHead(200, HTML).end(PAGE);
      if (req.url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/slow') return; // never answers
      if (req.url === '/endless') return endless(res);
      if (req.url === '/truncated') {
        res.writeHead(200, { ...HTML, 'content-length': '1000' });
        res.write('<html><body>'.padEnd(100, 'x'));
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      res.writeHead(404).end();
    });
    proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      connects.push(req.url ?? '');
      const upstream = net.connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      const close = () => (upstream.destroy(), client.destroy());
      upstream.on('error', close);
      client.on('error', close);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    nock.activate();
    for (const s of [server, proxy]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  const local = (fetch: FetchInput = {}, hooks: FetcherHooks = {}) =>
    setup({ allowPrivateNetworks: true, ...fetch }, { lookup: lookupTo('127.0.0.1'), ...hooks });

  it('fetches from loopback when private networks are allowed, by address and by name', async () => {
    const { get } = local();
    expect((await get(`${base}/ok`)).bytes.toString()).toBe(PAGE);
    expect((await get(`http://news.test:${port}/ok`)).status).toBe(200);
  });

  it('refuses a public-looking name whose DNS answer is private', async () => {
    const { get } = setup({}, { lookup: lookupTo('10.0.0.5') });
    const err = await failure(get('http://intranet.example/'));
    expect([err.code, err.attempts]).toEqual(['PRIVATE_NETWORK', 1]);
    expect(err.message).toContain('10.0.0.5');
    const viaLoopback = await failure(setup({}, { lookup: lookupTo('127.0.0.1') }).get(`http://news.test:${port}/ok`));
    expect(viaLoopback.code).toBe('PRIVATE_NETWORK');
  });

  it('aborts a streamed body (no Content-Length) once it passes maxBytes', async () => {
    const err = await failure(local({ maxBytes: 10_000 }).get(`${base}/endless`));
    expect([err.code, err.attempts]).toEqual(['TOO_LARGE', 1]);
    expect(endlessSent).toBeLessThan(1_000_000); // the download was cut off, not read to the end
  });

  it('times out a server that never answers: FETCH_TIMEOUT after retries', async () => {
    const { get, delays } = local({ timeouts: { responseMs: 100, totalMs: 2000 }, retries: { limit: 1 } });
    const err = await failure(get(`${base}/slow`));
    expect([err.code, err.attempts]).toEqual(['FETCH_TIMEOUT', 2]);
    expect(delays).toEqual([50]);
  });

  it('a redirect hop waits for its host turn too: the server sees the delay between the hops', async () => {
    const hosts = createHostQueue({ concurrency: 4, perHost: { concurrency: 1, delayMs: 300 }, maxDelayMs: 1000 });
    const { get } = local({}, {
      schedule: (url, attempt, { delayMs, signal }) => hosts.run(url, attempt, { signal, notBefore: Date.now() + delayMs }),
      hop: (url, signal) => hosts.hop(url, signal),
    });
    arrivals.length = 0;
    const res = await get(`${base}/moved`);
    expect(res.redirects).toEqual([`${base}/ok`]);
    expect(arrivals.map((a) => a.path)).toEqual(['/moved', '/ok']);
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(295); // 5 ms: see tests/cli-politeness.test.ts
  });

  it('a body cut short (Content-Length not reached) is TRUNCATED_BODY after retries', async () => {
    const err = await failure(local().get(`${base}/truncated`));
    expect([err.code, err.attempts]).toEqual(['TRUNCATED_BODY', 3]);
  });

  it('aborts on the caller signal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await failure(local().get(`${base}/slow`, { signal: ac.signal }));
    expect([err.code, err.attempts]).toEqual(['FETCH_FAILED', 1]);
  });

  it('goes through a CONNECT proxy, which resolves names itself (DNS guard skipped)', async () => {
    // The injected lookup would refuse the name: through a proxy only literal hosts are vetted.
    const { get } = setup({ proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }, { lookup: lookupTo('10.0.0.5') });
    const res = await get(`http://news.test:${port}/ok`);
    expect(res.bytes.toString()).toBe(PAGE);
    expect(connects).toEqual([`news.test:${port}`]);
  });
});
