import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NewscleanError } from '../../src/shared/errors.js';
import { readPage } from '../../src/shared/read-page.js';

let dir: string;
const html = Buffer.from('<html><body><p>مرحبا بالعالم</p></body></html>', 'utf8');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsclean-read-'));
  await writeFile(join(dir, 'plain.html'), html);
  await writeFile(join(dir, 'page.html.gz'), gzipSync(html));
  // 8 MiB of zeros compresses to a few KiB: a small gzip bomb.
  await writeFile(join(dir, 'bomb.html.gz'), gzipSync(Buffer.alloc(8 * 1024 * 1024)));
  const gz = gzipSync(html);
  await writeFile(join(dir, 'corrupt.html.gz'), Buffer.concat([gz.subarray(0, 12), Buffer.from('garbage!garbage!')]));
  await writeFile(join(dir, 'truncated.html.gz'), gz.subarray(0, gz.length - 6));
  await writeFile(join(dir, 'notgzip.html.gz'), html);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof NewscleanError ? e.code : `not coded: ${String(e)}`),
  );

describe('readPage', () => {
  it('reads a plain file', async () => {
    const path = join(dir, 'plain.html');
    const page = await readPage(path, { maxBytes: 1024 });
    expect(page).toEqual({ source: path, url: null, bytes: html });
  });

  it('gunzips .gz files', async () => {
    const page = await readPage(join(dir, 'page.html.gz'), { maxBytes: 1024 });
    expect(page.bytes.equals(html)).toBe(true);
  });

  it('allows exactly maxBytes', async () => {
    await expect(readPage(join(dir, 'page.html.gz'), { maxBytes: html.length })).resolves.toBeTruthy();
    await expect(readPage(join(dir, 'plain.html'), { maxBytes: html.length })).resolves.toBeTruthy();
  });

  it('caps plain files at maxBytes', async () => {
    expect(await codeOf(readPage(join(dir, 'plain.html'), { maxBytes: html.length - 1 }))).toBe('INPUT_TOO_LARGE');
  });

  it('caps the decompressed size of .gz files', async () => {
    expect(await codeOf(readPage(join(dir, 'page.html.gz'), { maxBytes: 10 }))).toBe('INPUT_TOO_LARGE');
    expect(await codeOf(readPage(join(dir, 'bomb.html.gz'), { maxBytes: 1024 * 1024 }))).toBe('INPUT_TOO_LARGE');
  });

  it.each(['corrupt.html.gz', 'truncated.html.gz', 'notgzip.html.gz'])('reports %s as INPUT_UNREADABLE', async (f) => {
    const err = await readPage(join(dir, f), { maxBytes: 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('INPUT_UNREADABLE');
    expect((err as NewscleanError).cause).toBeDefined();
  });

  it('reports missing files and directories as INPUT_UNREADABLE', async () => {
    expect(await codeOf(readPage(join(dir, 'missing.html'), { maxBytes: 1024 }))).toBe('INPUT_UNREADABLE');
    expect(await codeOf(readPage(join(dir, 'missing.html.gz'), { maxBytes: 1024 }))).toBe('INPUT_UNREADABLE');
    expect(await codeOf(readPage(dir, { maxBytes: 1024 }))).toBe('INPUT_UNREADABLE');
  });
});
