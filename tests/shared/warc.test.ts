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
import { gunzipSync } from 'node:zlib';
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
});
