/**
 * WARC files as extract's input (src/shared/warc.ts), on fixtures made by
 * wget --warc-file and by warcio (tests/fixtures/warc/), and on broken copies
 * made here: a truncated .warc.gz, a text file named .warc, a record header
 * cut short, a payload over input.maxBytes. Every HTML response record is a
 * page; every break is a WARC_INVALID reject after the pages read before it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type WarcItem, readWarc } from '../../src/shared/warc.js';

const fixture = (name: string): string => new URL(`../fixtures/warc/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nc-warc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(path: string, maxBytes = 5_000_000): Promise<WarcItem[]> {
  const out: WarcItem[] = [];
  for await (const item of readWarc(path, { maxBytes })) out.push(item);
  return out;
}
const pages = (items: WarcItem[]) => items.flatMap((i) => ('raw' in i ? [i.raw] : []));
const rejects = (items: WarcItem[]) => items.flatMap((i) => ('reject' in i ? [i.reject] : []));

describe('readWarc', () => {
  it('wget --warc-file: the two HTML pages, not the image, the 404, the request or wget\'s metadata records', async () => {
    const items = await all(fixture('wget-pages.warc.gz'));
    expect(rejects(items)).toEqual([]);
    expect(pages(items).map((p) => new URL(p.url!).pathname)).toEqual(['/story-en.html', '/story-ar.html']);
    expect(pages(items)[0]!.contentType).toMatch(/^text\/html/);
    expect(pages(items)[0]!.fetchedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('warcio: the charset comes from the archived HTTP header; revisit, resource and warcinfo records are not pages', async () => {
    const got = pages(await all(fixture('warcio-pages.warc.gz')));
    expect(got.map((p) => p.url)).toEqual(['https://news.example.org/ar/bridge.html', 'https://news.example.org/en/ferry.html']);
    expect(got[0]!.contentType).toBe('text/html; charset=windows-1256');
    expect(got[0]!.source).toBe('https://news.example.org/ar/bridge.html');
    expect(got[1]!.fetchedAt).toBe('2026-11-30T08:00:00Z');
  });

  it('a .warc.gz cut in the middle: the pages before the cut, then WARC_INVALID', async () => {
    const whole = readFileSync(fixture('wget-pages.warc.gz'));
    const cut = join(dir, 'cut.warc.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const items = await all(cut);
    expect(rejects(items)).toEqual([expect.objectContaining({ code: 'WARC_INVALID', message: expect.stringMatching(/broken after \d+ records/) })]);
    expect(items.at(-1)).toHaveProperty('reject');
  });

  it('a text file named .warc: WARC_INVALID, not a WARC file', async () => {
    const text = join(dir, 'notes.warc');
    writeFileSync(text, 'these are my notes, not an archive\n');
    expect(rejects(await all(text))).toEqual([expect.objectContaining({ code: 'WARC_INVALID', message: expect.stringContaining('not a WARC file') })]);
  });

  it('an uncompressed WARC whose last record header is cut short: the records before, then WARC_INVALID', async () => {
    const plain = gunzipSync(readFileSync(fixture('warcio-pages.warc.gz')));
    const at = plain.indexOf('WARC/1.1', plain.indexOf('https://news.example.org/en/ferry.html') - 400);
    const path = join(dir, 'cut-header.warc');
    writeFileSync(path, plain.subarray(0, at + 40));
    const items = await all(path);
    expect(pages(items).map((p) => p.url)).toEqual(['https://news.example.org/ar/bridge.html']);
    expect(rejects(items)).toEqual([expect.objectContaining({ code: 'WARC_INVALID' })]);
  });

  it('a payload over input.maxBytes is INPUT_TOO_LARGE for that record, and the file reads on', async () => {
    const items = await all(fixture('warcio-pages.warc.gz'), 300);
    expect(rejects(items).map((r) => r.code)).toContain('INPUT_TOO_LARGE');
    expect(pages(items).length + rejects(items).length).toBe(2);
  });

  describe('one bad record is a reject and the records after it are read (plain and .gz)', () => {
    const page = (n: number): string => `<html><head><title>P${n}</title></head><body><article><h1>Page ${n}</h1><p>${'The council met on Tuesday to discuss the new bridge over the river. '.repeat(6)}</p></article></body></html>`;
    /** A response record for /n; `lie` is added to the true Content-Length; `block` replaces the HTTP message. */
    const record = (n: number, o: { lie?: number; block?: Buffer | string } = {}): Buffer => {
      const block = Buffer.from(o.block ?? `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${page(n)}`);
      const head = `WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000${n}>\r\nWARC-Date: 2026-12-05T00:00:00Z\r\nWARC-Target-URI: https://x.example/${n}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${block.length + (o.lie ?? 0)}\r\n\r\n`;
      return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
    };
    const write = (name: string, records: Buffer[], gz: boolean): string => {
      const path = join(dir, `${name}.warc${gz ? '.gz' : ''}`);
      writeFileSync(path, gz ? Buffer.concat(records.map((r) => gzipSync(r))) : Buffer.concat(records));
      return path;
    };
    const urls = (items: WarcItem[]) => pages(items).map((p) => p.url);

    it.each([false, true])('a Content-Length that lies, shorter or longer (gzip %s)', async (gz) => {
      for (const lie of [-30, 40]) {
        const items = await all(write(`lie${lie}`, [record(1), record(2, { lie }), record(3)], gz));
        expect(urls(items)).toEqual(['https://x.example/1', 'https://x.example/3']);
        expect(rejects(items)).toEqual([expect.objectContaining({ code: 'WARC_INVALID', url: 'https://x.example/2', message: expect.stringMatching(/Content-Length \d+/) })]);
      }
    });

    it.each([false, true])('a response record whose block is not HTTP (gzip %s)', async (gz) => {
      const items = await all(write('not-http', [record(1), record(2, { block: 'garbage, not an HTTP message at all' }), record(3)], gz));
      expect(urls(items)).toEqual(['https://x.example/1', 'https://x.example/3']);
      expect(rejects(items)).toEqual([expect.objectContaining({ code: 'WARC_INVALID', url: 'https://x.example/2', message: expect.stringContaining('not an HTTP response') })]);
    });

    it('a gzip bomb inside a record (Content-Encoding gzip, 200 MB of zeros) is INPUT_TOO_LARGE, never inflated whole', async () => {
      const bomb = gzipSync(Buffer.alloc(200 << 20));
      const block = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n'), bomb]);
      const before = process.memoryUsage().rss;
      const items = await all(write('bomb', [record(1), record(2, { block }), record(3)], true), 5_000_000);
      expect(process.memoryUsage().rss - before).toBeLessThan(100 << 20);
      expect(urls(items)).toEqual(['https://x.example/1', 'https://x.example/3']);
      expect(rejects(items)).toEqual([expect.objectContaining({ code: 'INPUT_TOO_LARGE', url: 'https://x.example/2' })]);
    });

    it('a whole .warc gzipped as one member, larger than the cap: every record read, as a stream', async () => {
      const records = Array.from({ length: 30 }, (_, i) => record(i + 1, { block: `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>${i} ${'x'.repeat(50_000)}</p></body></html>` }));
      const path = join(dir, 'one-member.warc.gz');
      writeFileSync(path, gzipSync(Buffer.concat(records)));
      const items = await all(path, 100_000); // each page fits; the member (1.5 MB) does not
      expect(rejects(items)).toEqual([]);
      expect(urls(items)).toHaveLength(30);
      expect(urls(items).at(-1)).toBe('https://x.example/30');
    });

    it('a gzip member that inflates past the cap, and a corrupt member: each one reject, the rest read', async () => {
      const huge = record(2, { block: `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>${'x'.repeat(3_000_000)}</html>` });
      const corrupt = gzipSync(record(4));
      corrupt.fill(0x55, 40, 80); // inside the deflate data
      const path = join(dir, 'members.warc.gz');
      writeFileSync(path, Buffer.concat([gzipSync(record(1)), gzipSync(huge), gzipSync(record(3)), corrupt, gzipSync(record(5))]));
      const items = await all(path, 1_000_000);
      expect(urls(items)).toEqual(['https://x.example/1', 'https://x.example/3', 'https://x.example/5']);
      expect(rejects(items).map((r) => r.code)).toEqual(['INPUT_TOO_LARGE', 'WARC_INVALID']);
    });
  });
});
