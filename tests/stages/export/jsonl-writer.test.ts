import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsonl } from '../../../src/stages/export/jsonl-writer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsclean-jsonl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Writable that takes 1 ms per chunk and buffers at most 16 bytes. */
function slowSink(): { stream: Writable; chunks: string[]; maxBuffered: () => number; drains: () => number } {
  const chunks: string[] = [];
  let max = 0;
  let drains = 0;
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      setTimeout(cb, 1);
    },
  });
  stream.on('drain', () => drains++);
  const origWrite = stream.write.bind(stream);
  stream.write = ((...args: Parameters<Writable['write']>) => {
    const ok = origWrite(...args);
    max = Math.max(max, stream.writableLength);
    return ok;
  }) as Writable['write'];
  return { stream, chunks, maxBuffered: () => max, drains: () => drains };
}

const objs = Array.from({ length: 50 }, (_, i) => ({ i, text: `سطر ${i}\nline\u2028two "quoted"`, n: null }));

describe('openJsonl', () => {
  it('waits for drain instead of buffering without bound', async () => {
    const sink = slowSink();
    const w = openJsonl(sink.stream);
    for (const o of objs) await w.write(o);
    await w.close();
    expect(sink.drains()).toBeGreaterThan(0);
    // Never more than one line queued beyond the high-water mark.
    const longest = Math.max(...objs.map((o) => Buffer.byteLength(JSON.stringify(o)) + 1));
    expect(sink.maxBuffered()).toBeLessThanOrEqual(16 + longest);
    expect(sink.stream.writableEnded).toBe(false); // caller's stream is left open
    const lines = sink.chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(objs);
  });

  it('writes one parseable line per object to a file, creating parent dirs', async () => {
    const target = join(dir, 'a', 'b', 'out.jsonl');
    const w = openJsonl(target);
    for (const o of objs) await w.write(o);
    await w.close();
    const raw = await readFile(target, 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    const lines = raw.slice(0, -1).split('\n');
    expect(lines).toHaveLength(objs.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(objs);
  });

  it('writes an empty file when nothing is written', async () => {
    const target = join(dir, 'empty.jsonl');
    const w = openJsonl(target);
    await w.close();
    expect(await readFile(target, 'utf8')).toBe('');
  });

  it('close is idempotent and write after close fails', async () => {
    const w = openJsonl(join(dir, 'c.jsonl'));
    await w.close();
    await w.close();
    await expect(w.write({})).rejects.toThrow(/closed/);
  });

  it('surfaces stream errors on write/close', async () => {
    const bad = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('disk full'));
      },
    });
    const w = openJsonl(bad);
    await w.write({ a: 1 }).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    await expect(w.write({ a: 2 })).rejects.toThrow('disk full');
  });

  it('throws at open when the parent path is a file', () => {
    expect(() => openJsonl(join(dir, 'empty.jsonl', 'nested.jsonl'))).toThrow(/EEXIST|ENOTDIR/);
  });

  it('rejects on close when the target cannot be opened', async () => {
    const w = openJsonl(dir); // a directory: EISDIR arrives asynchronously
    await new Promise((r) => setTimeout(r, 20));
    await expect(w.close()).rejects.toThrow(/EISDIR/);
  });
});
