/**
 * The WARC writer (src/stages/export/warc-writer.ts): what it writes reads
 * back through newsclean's own reader and warcio's parser, with a warcinfo
 * first, request + response pairs, a revisit for a 304, sha1 base32 digests
 * that match the bytes, positions that point at each response's gzip member,
 * and a new file before the size limit.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { type WarcExchange, openWarcWriter } from '../../../src/stages/export/index.js';
import { readWarc } from '../../../src/shared/warc.js';
import { base32, checkWarc } from '../../helpers/warc-check.js';

const dir = mkdtempSync(join(tmpdir(), 'nc-warc-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const html = (title: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${'<p>The harbour ferry sailed again on Monday after three months of repairs to its engines and hull, the port authority said.</p>'.repeat(4)}</article></body></html>`;
const exchange = (n: number, status = 200): WarcExchange => ({
  url: `https://news.example.org/story-${n}.html?ref=x`,
  date: new Date(Date.UTC(2026, 11, 4, 10, 0, n)),
  ip: '192.0.2.7',
  request: { method: 'GET', target: `/story-${n}.html?ref=x`, headers: [['User-Agent', 'newsclean-test']] },
  response: status === 304
    ? { status, statusText: 'Not Modified', headers: [['ETag', '"v1"']], body: Buffer.alloc(0) }
    : { status, statusText: 'OK', headers: [['Content-Type', 'text/html; charset=utf-8'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']], body: Buffer.from(html(`Story ${n}`)) },
});

describe('openWarcWriter', () => {
  it('warcinfo, then request + response pairs and a revisit for a 304; read back by newsclean and warcio; digests match; positions point at the response', async () => {
    const out = join(dir, 'one');
    const w = await openWarcWriter(out, { prefix: 'test', info: { software: 'newsclean test' } });
    const positions = [await w.write(exchange(1)), await w.write(exchange(2, 304)), await w.write(exchange(3))];
    await w.close();
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^test-\d{14}-00000\.warc\.gz$/);
    const path = join(out, files[0]!);

    const types: string[] = [];
    for await (const r of new WARCParser(createReadStream(path))) {
      types.push(r.warcType!);
      if (r.warcType === 'response' || r.warcType === 'request') expect(r.warcHeaders.headers.get('WARC-IP-Address')).toBe('192.0.2.7');
      if (r.warcType === 'response') {
        const payload = Buffer.from(await r.readFully(false));
        expect(r.warcHeaders.headers.get('WARC-Payload-Digest')).toBe(`sha1:${base32(createHash('sha1').update(payload).digest())}`);
      }
    }
    expect(types).toEqual(['warcinfo', 'request', 'response', 'request', 'revisit', 'request', 'response']);
    // As `warcio check` would: every block and payload digest matches its bytes; a request names its response as concurrent.
    const checked = checkWarc(path);
    expect(checked.map((r) => r.type)).toEqual(types);
    expect(checked[1]!.headers.get('warc-concurrent-to')).toBe(checked[2]!.headers.get('warc-record-id'));
    expect(checked[1]!.block.toString()).toMatch(/^GET \/story-1\.html\?ref=x HTTP\/1\.1\r\nHost: news\.example\.org\r\n/);
    expect(checked[2]!.block.toString().match(/Set-Cookie: [ab]=\d/g)).toEqual(['Set-Cookie: a=1', 'Set-Cookie: b=2']);

    const pages: string[] = [];
    for await (const item of readWarc(path, { maxBytes: 1_000_000 })) if ('raw' in item) pages.push(item.raw.url!);
    expect(pages).toEqual(['https://news.example.org/story-1.html?ref=x', 'https://news.example.org/story-3.html?ref=x']);

    // A position is one gzip member holding that response record.
    const bytes = readFileSync(path);
    const member = gunzipSync(bytes.subarray(positions[2]!.offset, positions[2]!.offset + positions[2]!.length)).toString('utf8');
    expect(member).toMatch(/^WARC\/1\.1\r\n/);
    expect(member).toContain('WARC-Type: response');
    expect(member).toContain('WARC-Target-URI: https://news.example.org/story-3.html?ref=x');
  });

  it('rolls over to a new file before maxBytes, each opened by a warcinfo; no exchange is split', async () => {
    const out = join(dir, 'roll');
    const w = await openWarcWriter(out, { prefix: 'roll', maxBytes: 2500, info: { software: 'newsclean test' } });
    for (let n = 1; n <= 6; n++) await w.write(exchange(n));
    await w.close();
    const files = readdirSync(out).sort();
    expect(files.length).toBeGreaterThan(1);
    let pages = 0;
    for (const f of files) {
      const types: string[] = [];
      for await (const r of new WARCParser(createReadStream(join(out, f)))) types.push(r.warcType!);
      expect(types[0]).toBe('warcinfo');
      expect(types.filter((t) => t === 'request').length).toBe(types.filter((t) => t === 'response').length);
      for await (const item of readWarc(join(out, f), { maxBytes: 1_000_000 })) if ('raw' in item) pages++;
    }
    expect(pages).toBe(6);
  });
});
