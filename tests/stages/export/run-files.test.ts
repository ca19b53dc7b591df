import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newRunId,
  openLineSink,
  readRunLines,
  repairRunFile,
  runPaths,
  writeJsonAtomic,
} from '../../../src/stages/export/run-files.js';

const WRITER = fileURLToPath(new URL('../../helpers/run-files-writer.mjs', import.meta.url));

/** Same as record() in tests/helpers/run-files-writer.mjs. */
const record = (i: number) => ({ i, text: 'سطر '.repeat(i % 40) + 'x'.repeat((i * 37) % 900) });
const records = (from: number, n: number) => Array.from({ length: n }, (_, k) => record(from + k));
const jsonl = (objs: unknown[]) => objs.map((o) => JSON.stringify(o) + '\n').join('');

let dir: string;
let seq = 0;
/** A path in a fresh subdirectory of the temp dir (the subdirectory exists, deeper ones do not). */
function fresh(name: string): string {
  const sub = join(dir, `${seq++}`);
  mkdirSync(sub);
  return join(sub, name);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsclean-run-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string, opts?: { gzip?: boolean }): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of readRunLines(path, opts)) out.push(v);
  return out;
}

async function writeAll(path: string, objs: unknown[], gzip: boolean): Promise<void> {
  const sink = await openLineSink(path, { gzip });
  for (const o of objs) await sink.write(o);
  await sink.close();
}

describe('runPaths / newRunId', () => {
  it('lays out <dir>/<UTC date>/<run-id>.*', () => {
    const at = new Date('2026-11-21T23:59:59.500Z');
    expect(runPaths('out', '20261121T235959Z-abcdef', at, { gzip: false })).toEqual({
      dir: join('out', '2026-11-21'),
      records: join('out', '2026-11-21', '20261121T235959Z-abcdef.jsonl'),
      rejects: join('out', '2026-11-21', '20261121T235959Z-abcdef.rejects.jsonl'),
      manifest: join('out', '2026-11-21', '20261121T235959Z-abcdef.manifest.json'),
    });
    const gz = runPaths('/o', 'r1', new Date('2026-01-01T00:00:00Z'), { gzip: true });
    expect([gz.records, gz.rejects, gz.manifest]).toEqual([
      join('/o', '2026-01-01', 'r1.jsonl.gz'),
      join('/o', '2026-01-01', 'r1.rejects.jsonl.gz'),
      join('/o', '2026-01-01', 'r1.manifest.json'),
    ]);
    for (const bad of ['', '..', '../x', 'a/b', 'a\\b']) expect(() => runPaths('o', bad, at, { gzip: false })).toThrow(/run id/);
  });

  it('run ids are UTC stamps + random suffix, unique and sortable by time', () => {
    const t = new Date('2026-11-21T09:30:00.123Z');
    expect(newRunId(t)).toMatch(/^20261121T093000Z-[0-9a-f]{6}$/);
    const same = new Set(Array.from({ length: 500 }, () => newRunId(t)));
    expect(same.size).toBe(500);
    const times = [0, 1000, 59_000, 3_600_000, 86_400_000, 400 * 86_400_000].map((ms) => new Date(Date.UTC(2026, 0, 9, 23) + ms));
    const ids = times.map(newRunId);
    expect([...ids].reverse().sort()).toEqual(ids);
  });
});

describe('plain JSONL sink', () => {
  it('writes N lines, reads them back exactly, appends after reopen', async () => {
    const path = fresh(join('a', 'b', 'run.jsonl'));
    const sink = await openLineSink(path, { gzip: false });
    const first = records(0, 300);
    for (const o of first) await sink.write(o);
    expect(sink.lines).toBe(300);
    expect(sink.bytes).toBe(Buffer.byteLength(jsonl(first)));
    await sink.close();
    await sink.close();
    await expect(sink.write({})).rejects.toThrow(/closed/);
    expect(await readFile(path, 'utf8')).toBe(jsonl(first));

    // Reopen: appends, and concurrent (unawaited) writes keep their order.
    const again = await openLineSink(path, { gzip: false });
    const more = records(300, 200);
    await Promise.all(more.map((o) => again.write(o)));
    await again.close();
    expect(await readFile(path, 'utf8')).toBe(jsonl([...first, ...more]));
    expect(await collect(path)).toEqual([...first, ...more]);
    expect(await repairRunFile(path, { gzip: false })).toEqual({ lines: 500, repaired: false, droppedBytes: 0 });
  });

  it('a line that cannot be serialized rejects only its own write', async () => {
    const path = fresh('s.jsonl');
    const sink = await openLineSink(path, { gzip: false });
    await expect(sink.write(10n)).rejects.toThrow(TypeError);
    await expect(sink.write(undefined)).rejects.toThrow(TypeError);
    await sink.write({ ok: 1 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('{"ok":1}\n');
  });

  it('fails to open a directory', async () => {
    const path = fresh('d');
    await mkdir(path, { recursive: true });
    await expect(openLineSink(path, { gzip: false })).rejects.toThrow(/EISDIR/);
  });

  it.each([
    ['no trailing newline', '{"i":7,"text":"نص مقطو'],
    ['half an object + newline', '{"i":7,"te\n'],
    ['a lone newline', '\n'],
  ])('repairs a torn tail: %s', async (_name, torn) => {
    const path = fresh('t.jsonl');
    const good = records(0, 20);
    await writeAll(path, good, false);
    appendFileSync(path, torn);
    expect(await collect(path)).toEqual(good); // read-only: the torn tail is skipped
    const rep = await repairRunFile(path, { gzip: false });
    expect(rep).toEqual({ lines: 20, repaired: true, droppedBytes: Buffer.byteLength(torn) });
    expect(await readFile(path, 'utf8')).toBe(jsonl(good));
    expect(await repairRunFile(path, { gzip: false })).toEqual({ lines: 20, repaired: false, droppedBytes: 0 });
    // Appending after repair gives valid JSONL.
    await writeAll(path, records(20, 5), false);
    const raw = await readFile(path, 'utf8');
    expect(raw.split('\n').slice(0, -1).map((l) => JSON.parse(l) as unknown)).toEqual(records(0, 25));
  });

  it('openLineSink repairs a torn tail itself before appending', async () => {
    const path = fresh('auto.jsonl');
    writeFileSync(path, jsonl(records(0, 3)) + '{"i":3,"te');
    await writeAll(path, records(3, 2), false);
    expect(await readFile(path, 'utf8')).toBe(jsonl(records(0, 5)));
  });

  it('handles missing, empty and all-torn files', async () => {
    const missing = fresh('none.jsonl');
    expect(await repairRunFile(missing, { gzip: false })).toEqual({ lines: 0, repaired: false, droppedBytes: 0 });
    expect(await repairRunFile(missing + '.gz', { gzip: true })).toEqual({ lines: 0, repaired: false, droppedBytes: 0 });
    expect(await collect(missing).catch((e: NodeJS.ErrnoException) => e.code)).toBe('ENOENT');
    const none: unknown[] = [];
    for await (const v of readRunLines(missing, { missingOk: true })) none.push(v);
    expect(none).toEqual([]);
    const empty = fresh('empty.jsonl');
    writeFileSync(empty, '');
    expect(await repairRunFile(empty, { gzip: false })).toEqual({ lines: 0, repaired: false, droppedBytes: 0 });
    writeFileSync(empty, '{"a":');
    expect(await repairRunFile(empty, { gzip: false })).toEqual({ lines: 0, repaired: true, droppedBytes: 5 });
    expect(statSync(empty).size).toBe(0);
  });

  it('judges only the last line: an invalid line further up is kept (and skipped on read)', async () => {
    const path = fresh('mid.jsonl');
    writeFileSync(path, '{"a":1}\nnot json\n{"a":2}\n');
    expect(await repairRunFile(path, { gzip: false })).toEqual({ lines: 3, repaired: false, droppedBytes: 0 });
    expect(await collect(path)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe('gzip JSONL sink', () => {
  it('writes, closes, reopens: concatenated members gunzip whole', async () => {
    const path = fresh('run.jsonl.gz');
    await writeAll(path, records(0, 100), true);
    await writeAll(path, records(100, 50), true);
    const sink = await openLineSink(path, { gzip: true }); // an empty session adds an empty member
    await sink.close();
    expect(gunzipSync(await readFile(path)).toString('utf8')).toBe(jsonl(records(0, 150)));
    expect(await collect(path)).toEqual(records(0, 150));
    expect(await repairRunFile(path, { gzip: true })).toEqual({ lines: 150, repaired: false, droppedBytes: 0 });
  });

  it('a file cut at any offset keeps every flushed line, and takes appends', async () => {
    const src = fresh('cut.jsonl.gz');
    const sink = await openLineSink(src, { gzip: true });
    const ends: number[] = []; // compressed size once line k's write() resolved
    for (const o of records(0, 40)) {
      await sink.write(o);
      ends.push(statSync(src).size);
    }
    const full = readFileSync(src); // unterminated member, as a SIGKILL leaves it
    await sink.close();

    const offsets = new Set([0, 1, 5, 10, 11, ends[0]! - 1, ends[0]!, ends[0]! + 1, ends[19]! - 2, ends[19]!, full.length - 1, full.length]);
    for (let k = 0; k < 12; k++) offsets.add(1 + Math.floor(Math.random() * (full.length - 1)));
    for (const cut of offsets) {
      const path = fresh(`cut-${cut}.jsonl.gz`);
      writeFileSync(path, full.subarray(0, cut));
      const flushed = ends.filter((e) => e <= cut).length;
      const before = await collect(path);
      const rep = await repairRunFile(path, { gzip: true });
      expect(rep.lines, `cut at ${cut}`).toBeGreaterThanOrEqual(flushed);
      expect(rep.lines, `cut at ${cut}`).toBeLessThanOrEqual(flushed + 1); // the last line can decode before its flush marker ends
      expect(rep.repaired).toBe(cut > 0);
      expect(before).toEqual(records(0, rep.lines)); // reading before repair agrees with repair
      expect(await collect(path)).toEqual(records(0, rep.lines));
      if (cut > 0) expect(gunzipSync(readFileSync(path)).toString('utf8')).toBe(jsonl(records(0, rep.lines)));
      await writeAll(path, records(rep.lines, 3), true);
      expect(gunzipSync(readFileSync(path)).toString('utf8')).toBe(jsonl(records(0, rep.lines + 3)));
    }
  });

  it('drops a torn or invalid last line inside a whole gzip file', async () => {
    const path = fresh('torn.jsonl.gz');
    const torn = '{"i":3,"te';
    writeFileSync(path, Buffer.concat([gzipSync(jsonl(records(0, 3))), gzipSync(torn + '\n')]));
    expect(await repairRunFile(path, { gzip: true })).toEqual({ lines: 3, repaired: true, droppedBytes: torn.length + 1 });
    expect(gunzipSync(readFileSync(path)).toString('utf8')).toBe(jsonl(records(0, 3)));
  });

  it('refuses to repair a file that is not gzip', async () => {
    const path = fresh('plain.jsonl.gz');
    writeFileSync(path, '{"a":1}\n');
    await expect(repairRunFile(path, { gzip: true })).rejects.toThrow(/header/);
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
  });
});

/** Run the writer helper; with killAfterMs, SIGKILL it that long after its first acknowledged line. */
function runWriter(args: string[], killAfterMs?: number): Promise<{ stdout: Buffer; acked: number; signal: string | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (b: Buffer) => {
      out.push(b);
      if (killAfterMs !== undefined && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      if (code !== 0 && signal !== 'SIGKILL') return reject(new Error(`writer exited ${code}: ${err}`));
      // The last complete number the child printed: lines whose write() had resolved.
      const printed = stdout.toString('utf8').split('\n').slice(0, -1);
      resolve({ stdout, acked: Number(printed.at(-1) ?? 0), signal, code });
    });
  });
}

describe('SIGKILL while writing', () => {
  it.each([false, true])('gzip=%s: every acknowledged line survives, exactly once, across kill/resume cycles', async (gzip) => {
    const path = fresh(gzip ? 'kill.jsonl.gz' : 'kill.jsonl');
    let have = 0;
    for (let round = 0; round < 4; round++) {
      const { acked, signal } = await runWriter([path, gzip ? '1' : '0', String(have), '-1', String(1 + round * 5)], 20 + Math.random() * 120);
      expect(signal).toBe('SIGKILL');
      expect(acked).toBeGreaterThan(have);
      const rep = await repairRunFile(path, { gzip });
      const got = await collect(path);
      expect(got.length).toBe(rep.lines);
      expect(got.length).toBeGreaterThanOrEqual(acked);
      expect(got).toEqual(records(0, got.length)); // a gap-free, duplicate-free prefix
      have = got.length;
    }
    const { code } = await runWriter([path, gzip ? '1' : '0', String(have), '25', '4']);
    expect(code).toBe(0);
    const raw = readFileSync(path);
    const text = gzip ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    expect(text).toBe(jsonl(records(0, have + 25)));
  });
});

describe("'-' target", () => {
  it.each([false, true])('gzip=%s streams to stdout', async (gzip) => {
    const { stdout, code } = await runWriter(['-', gzip ? '1' : '0', '0', '30', '3']);
    expect(code).toBe(0);
    expect((gzip ? gunzipSync(stdout) : stdout).toString('utf8')).toBe(jsonl(records(0, 30)));
  });
});

describe('writeJsonAtomic', () => {
  it('creates dirs, leaves no temp file, and a reader always sees whole JSON', async () => {
    const path = fresh(join('m', 'run.manifest.json'));
    await writeJsonAtomic(path, { v: 0 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ v: 0 });

    const big = (v: number) => ({ v, pad: 'م'.repeat(200_000 + v) });
    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const value = JSON.parse(readFileSync(path, 'utf8')) as { v: number };
        expect(typeof value.v).toBe('number');
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let v = 1; v <= 25; v++) await writeJsonAtomic(path, big(v));
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(5);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(big(25));
    expect(readdirSync(join(path, '..'))).toEqual(['run.manifest.json']);
    await expect(writeJsonAtomic(path, undefined)).rejects.toThrow(TypeError);
    expect(readdirSync(join(path, '..'))).toEqual(['run.manifest.json']);
  });
});
