/**
 * Reading back and repairing run files after a crash.
 *
 * A killed writer can leave a torn last line (a short write), and for .gz an
 * unterminated last member. Repair keeps every complete line and removes the
 * rest, so the next append starts on a clean line boundary; readRunLines
 * yields the same complete lines without modifying anything.
 */
import { createReadStream, existsSync } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-file.js';
import { GZIP_LEVEL, gunzipChecked, gunzipFileChunks } from './gzip-lines.js';

export interface RepairResult {
  /** Complete lines left in the file. */
  lines: number;
  /** The file was changed. */
  repaired: boolean;
  /** Bytes of torn/invalid tail removed (for .gz: uncompressed bytes). */
  droppedBytes: number;
}

const NL = 0x0a;
const CHUNK = 1 << 20;
const NOTHING: RepairResult = { lines: 0, repaired: false, droppedBytes: 0 };

/** A JSON line from the file: its value, or INVALID (blank, torn, corrupt). */
const INVALID = Symbol('invalid');
function parseLine(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8')) as unknown;
  } catch {
    return INVALID;
  }
}

/**
 * After a crash: drop a torn last line (no trailing newline, or a last line
 * that is not valid JSON) and, for .gz, a truncated trailing gzip member
 * (its complete lines are kept: the file is rewritten atomically as whole
 * gzip). Only the last line is judged; an invalid line further up is left
 * alone (readRunLines skips it), so a wrong path never gets wiped.
 */
export async function repairRunFile(path: string, opts: { gzip: boolean }): Promise<RepairResult> {
  try {
    return opts.gzip ? await repairGzip(path) : await repairPlain(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...NOTHING };
    throw err;
  }
}

async function repairPlain(path: string): Promise<RepairResult> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    let { newlines: lines, lastNewline } = await scanNewlines(fh, size);
    let keep = lastNewline + 1;
    if (keep > 0) {
      const start = await lineStart(fh, lastNewline);
      if (parseLine(await readRange(fh, start, lastNewline)) === INVALID) {
        keep = start;
        lines--;
      }
    }
    if (keep === size) return { lines, repaired: false, droppedBytes: 0 };
    await fh.truncate(keep);
    await fh.sync();
    return { lines, repaired: true, droppedBytes: size - keep };
  } finally {
    await fh.close();
  }
}

async function repairGzip(path: string): Promise<RepairResult> {
  const raw = await readFile(path);
  // One strict pass for the usual, whole file; the tolerant pass only when it is torn.
  const { text, complete } = gunzipChecked(raw);
  const lastNewline = text.lastIndexOf(NL);
  let keep = lastNewline + 1;
  if (keep > 0) {
    // (Buffer#lastIndexOf counts a negative offset from the end, hence the guard.)
    const start = lastNewline === 0 ? 0 : text.lastIndexOf(NL, lastNewline - 1) + 1;
    if (parseLine(text.subarray(start, lastNewline)) === INVALID) keep = start;
  }
  const lines = countNewlines(text.subarray(0, keep));
  if (keep === text.length && complete) return { lines, repaired: false, droppedBytes: 0 };
  // Unterminated member (or torn tail): rewrite the kept lines as one whole member, atomically.
  await writeFileAtomic(path, gzipSync(text.subarray(0, keep), { level: GZIP_LEVEL }));
  return { lines, repaired: true, droppedBytes: text.length - keep };
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(NL); i !== -1; i = buf.indexOf(NL, i + 1)) n++;
  return n;
}

async function scanNewlines(fh: FileHandle, size: number): Promise<{ newlines: number; lastNewline: number }> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let newlines = 0;
  let lastNewline = -1;
  for (let pos = 0; pos < size; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    newlines += countNewlines(chunk);
    const last = chunk.lastIndexOf(NL);
    if (last !== -1) lastNewline = pos + last;
    pos += bytesRead;
  }
  return { newlines, lastNewline };
}

/** Offset of the first byte of the line that ends with the newline at `newlineAt`. */
async function lineStart(fh: FileHandle, newlineAt: number): Promise<number> {
  const size = 64 * 1024;
  const buf = Buffer.allocUnsafe(size);
  for (let end = newlineAt; end > 0; ) {
    const from = Math.max(0, end - size);
    const { bytesRead } = await fh.read(buf, 0, end - from, from);
    const at = buf.subarray(0, bytesRead).lastIndexOf(NL);
    if (at !== -1) return from + at + 1;
    end = from;
  }
  return 0;
}

async function readRange(fh: FileHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.alloc(end - start);
  for (let off = 0; off < buf.length; ) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
    if (bytesRead === 0) break;
    off += bytesRead;
  }
  return buf;
}

/** Split decoded bytes into complete lines (without the newline); an unterminated tail is dropped. */
async function* completeLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer[] = [];
  for await (const chunk of chunks) {
    let from = 0;
    for (let nl = chunk.indexOf(NL); nl !== -1; nl = chunk.indexOf(NL, from)) {
      const piece = chunk.subarray(from, nl);
      yield carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      from = nl + 1;
    }
    if (from < chunk.length) carry.push(chunk.subarray(from));
  }
}

/**
 * The complete JSON lines of a run file, in order: plain or gzip (default: by
 * the .gz extension), skipping a torn tail and any line that is not valid
 * JSON. Read-only; safe on a file a crashed run left behind. A missing file
 * throws ENOENT unless `missingOk`.
 */
export async function* readRunLines(
  path: string,
  opts: { gzip?: boolean; missingOk?: boolean } = {},
): AsyncGenerator<unknown> {
  if (opts.missingOk && !existsSync(path)) return;
  const gzip = opts.gzip ?? path.endsWith('.gz');
  const chunks: AsyncIterable<Buffer> = gzip ? gunzipFileChunks(path) : createReadStream(path);
  for await (const line of completeLines(chunks)) {
    const value = parseLine(line);
    if (value !== INVALID) yield value;
  }
}
