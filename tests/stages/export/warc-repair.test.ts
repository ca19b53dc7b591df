/**
 * Cutting a WARC file a killed writer left torn (src/stages/export/warc-repair.ts):
 * the torn last member goes, every whole record before it stays and reads
 * back; a whole file is left as it is; only the run's own files are touched.
 * Traps: a member cut inside its deflate data, one cut inside its 8-byte
 * trailer, and a record larger than the first read window.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type WarcExchange, openWarcWriter, repairWarcFile, repairRunWarc } from '../../../src/stages/export/index.js';
import { checkWarc } from '../../helpers/warc-check.js';

const dir = mkdtempSync(join(tmpdir(), 'nc-warc-repair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exchange = (n: number, body: Buffer = Buffer.from(`<html><body><p>Story ${n}</p></body></html>`)): WarcExchange => ({
  url: `https://news.example.org/${n}`,
  date: new Date(Date.UTC(2026, 11, 5, 1, 0, n)),
  ip: null,
  request: { method: 'GET', target: `/${n}`, headers: [] },
  response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/html']], body },
});

async function written(sub: string, prefix: string, bodies: Array<Buffer | undefined>): Promise<{ path: string; ends: number[] }> {
  const w = await openWarcWriter(join(dir, sub), { prefix, info: { software: 'test' } });
  const ends: number[] = [];
  for (const [i, b] of bodies.entries()) {
    const at = await w.write(exchange(i + 1, b));
    ends.push(at.offset + at.length);
  }
  await w.close();
  return { path: w.files()[0]!, ends };
}

describe('repairWarcFile', () => {
  it('cuts a member torn inside its data back to the last whole record', async () => {
    const { path, ends } = await written('a', 'newsclean-run1', [undefined, undefined, undefined]);
    truncateSync(path, ends[2]! - 20);
    const r = await repairWarcFile(path);
    expect(r.droppedBytes).toBeGreaterThan(0);
    // The third exchange's request member was whole: it stays; its torn response goes.
    expect(statSync(path).size).toBeGreaterThan(ends[1]!);
    expect(checkWarc(path).map((x) => x.type)).toEqual(['warcinfo', 'request', 'response', 'request', 'response', 'request']);
  });

  it('cuts a member whose trailer is short by a byte, and leaves a whole file alone', async () => {
    const { path, ends } = await written('b', 'newsclean-run2', [undefined, undefined]);
    const whole = readFileSync(path);
    expect((await repairWarcFile(path)).droppedBytes).toBe(0);
    expect(readFileSync(path).equals(whole)).toBe(true);
    writeFileSync(path, whole.subarray(0, ends[1]! - 1));
    await repairWarcFile(path);
    expect(checkWarc(path).filter((x) => x.type === 'response')).toHaveLength(1);
  });

  it('reads a record larger than the first window (16 MB) whole', async () => {
    const big = randomBytes(17 << 20); // incompressible: the member is as large as the body
    const { path, ends } = await written('c', 'newsclean-run3', [big, undefined]);
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from([0x1f, 0x8b, 0x08, 0, 0])]));
    await repairWarcFile(path);
    expect(statSync(path).size).toBe(ends[1]);
  });

  it("repairRunWarc touches only the run's own files", async () => {
    const mine = await written('d', 'newsclean-crawl-A', [undefined, undefined]);
    const other = await written('d', 'newsclean-crawl-B', [undefined, undefined]);
    truncateSync(mine.path, mine.ends[1]! - 5);
    truncateSync(other.path, other.ends[1]! - 5);
    const repaired = await repairRunWarc(join(dir, 'd'), 'crawl-A');
    expect(repaired).toEqual([{ file: mine.path, droppedBytes: expect.any(Number) }]);
    expect(checkWarc(mine.path).filter((x) => x.type === 'response')).toHaveLength(1);
    expect(statSync(other.path).size).toBe(other.ends[1]! - 5);
  });
});
