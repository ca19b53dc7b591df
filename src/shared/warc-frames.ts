/**
 * A WARC file cut into its records, robustly: each record's bytes found by
 * its own framing (a gzip member per record for .warc.gz, as every WARC
 * writer of note writes them; WARC-header + Content-Length + CRLF CRLF in
 * plain files and inside a member), so one bad record (a Content-Length that
 * lies, a corrupt member, a member that inflates past the cap) is reported
 * and skipped and the records after it are still read. Only a file that is
 * not WARC, or one that breaks off, ends the reading.
 *
 * Members are inflated by Node's zlib one at a time, never past the cap (a
 * gzip bomb stops inside zlib); the file is read in 4 MB windows.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { constants, createInflateRaw, inflateRawSync } from 'node:zlib';

export type Frame =
  /** One record's bytes (uncompressed), and where it starts in the file (its member, for .gz). */
  | { kind: 'record'; offset: number; bytes: Buffer }
  /** A record that could not be read; `fatal`: nothing after it can be. `head`: the start of its bytes, when known (for its URL). */
  | { kind: 'bad'; offset: number; why: string; fatal: boolean; tooLarge?: boolean; head?: Buffer };

const CHUNK = 4 << 20;
const MAX_HEADER = 1 << 20;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
const RECORD_START = /^WARC\/1\.[01]\r?\n/;

/** Where a window's bytes come from: the file from a position, or one gzip member inflating as a stream. */
interface Source {
  /** `kept` followed by the next bytes (at least `min` more when there are), or null at the end. */
  pull(min: number, kept: Buffer): Promise<Buffer | null>;
  /** Jump `n` bytes ahead without reading them (a file); absent: they are read and dropped. */
  jump?(n: number): void;
}

function fileSource(fh: FileHandle): Source {
  let pos = 0;
  return {
    async pull(min, kept) {
      // Read straight in behind what is kept: one copy of the small rest, not of the whole chunk.
      const buf = Buffer.allocUnsafe(kept.length + Math.max(CHUNK, min));
      kept.copy(buf);
      const { bytesRead } = await fh.read(buf, kept.length, buf.length - kept.length, pos);
      pos += bytesRead;
      return bytesRead === 0 ? null : buf.subarray(0, kept.length + bytesRead);
    },
    jump: (n) => void (pos += n),
  };
}

/** A member too large to inflate at once (a whole .warc gzipped as one member), inflated as a stream; `consumed()`: its deflate bytes once it ends. */
function memberSource(path: string, start: number): Source & { consumed(): number; failed(): boolean; close(): void } {
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  const file = createReadStream(path, { start, highWaterMark: CHUNK });
  file.on('error', (err) => inflate.destroy(err));
  file.pipe(inflate);
  const chunks = inflate[Symbol.asyncIterator]();
  let failed = false;
  return {
    async pull(_min, kept) {
      try {
        const next = await chunks.next();
        return next.done ? null : kept.length === 0 ? (next.value as Buffer) : Buffer.concat([kept, next.value as Buffer]);
      } catch {
        failed = true;
        return null;
      }
    },
    consumed: () => inflate.bytesWritten,
    failed: () => failed,
    close: () => (file.destroy(), inflate.destroy()),
  };
}

/** A source's bytes through a window that grows on demand. */
class Window {
  buf: Buffer = Buffer.alloc(0);
  /** Offset (in the source) of buf[0]. */
  at = 0;
  eof = false;
  constructor(private readonly src: Source) {}

  /** Read until the window holds `n` bytes (or the source ends); false when it cannot. */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.eof) {
      const grown = await this.src.pull(n - this.buf.length, this.buf);
      if (grown === null) this.eof = true;
      else this.buf = grown;
    }
    return this.buf.length >= n;
  }

  consume(n: number): void {
    this.buf = this.buf.subarray(n);
    this.at += n;
  }

  /** Skip `n` bytes (past the window: not read from a file; read and dropped from a stream). */
  async skip(n: number): Promise<void> {
    if (n <= this.buf.length) return this.consume(n);
    let rest = n - this.buf.length;
    this.consume(this.buf.length);
    if (this.src.jump) return (this.src.jump(rest), void (this.at += rest));
    while (rest > 0 && (await this.ensure(1))) {
      const k = Math.min(rest, this.buf.length);
      this.consume(k);
      rest -= k;
    }
  }

  /** Move the window to the next `needle` at or after `from`, dropping what is passed over; false (at the end) when there is none. */
  async seek(needle: Buffer | string, from: number): Promise<boolean> {
    for (;;) {
      const i = this.buf.indexOf(needle, from);
      if (i >= 0) return (this.consume(i), true);
      if (this.eof) return (this.consume(this.buf.length), false);
      this.consume(Math.max(from, this.buf.length - needle.length + 1));
      from = 0;
      await this.ensure(this.buf.length + CHUNK);
    }
  }
}

/** Length of the gzip header at the start of `buf` (RFC 1952: fixed 10 bytes, then the optional fields the flags name), or null. */
export function gzipHeaderLength(buf: Buffer): number | null {
  if (buf.length < 10 || buf.compare(GZIP_MAGIC, 0, 3, 0, 3) !== 0) return null;
  const flags = buf[3]!;
  let pos = 10;
  if (flags & 0x04) pos += 2 + (buf.length >= 12 ? buf.readUInt16LE(10) : Infinity);
  for (const bit of [0x08, 0x10]) {
    if (!(flags & bit)) continue;
    const end = buf.indexOf(0, pos);
    if (end < 0) return null;
    pos = end + 1;
  }
  if (flags & 0x02) pos += 2;
  return pos <= buf.length ? pos : null;
}

export type Inflated = { ok: true; out: Buffer; memberLength: number } | { ok: false; why: 'incomplete' | 'too-large' | 'corrupt'; message: string };

/** The member at the start of `buf`, inflated (never past `cap`), and its length. */
export function inflateMember(buf: Buffer, header: number, cap: number): Inflated {
  try {
    const { buffer, engine } = inflateRawSync(buf.subarray(header), { info: true, maxOutputLength: cap }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    const memberLength = header + engine.bytesWritten + 8; // + CRC32 and ISIZE
    if (memberLength > buf.length) return { ok: false, why: 'incomplete', message: 'the member ends before its trailer' };
    return { ok: true, out: buffer, memberLength };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, why: 'too-large', message: e.message };
    if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) return { ok: false, why: 'incomplete', message: e.message };
    return { ok: false, why: 'corrupt', message: e.message };
  }
}

/** The first bytes a member inflates to, for the headers of a record too large to inflate whole. */
function memberHead(buf: Buffer, header: number): Buffer {
  try {
    return inflateRawSync(buf.subarray(header, header + 64 * 1024), { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 64 * 1024);
  } catch {
    return Buffer.alloc(0);
  }
}

/** Records of a .warc.gz: one member after another; a bad member is skipped to the next gzip header. */
async function* gzipFrames(path: string, win: Window, cap: number): AsyncGenerator<Frame> {
  while (await win.ensure(1)) {
    const offset = win.at;
    if (win.buf.length < 64 * 1024) await win.ensure(64 * 1024);
    const header = gzipHeaderLength(win.buf);
    if (header === null) {
      if (offset === 0) return yield { kind: 'bad', offset, why: 'not a gzip file', fatal: true };
      const found = await win.seek(GZIP_MAGIC, 1);
      yield { kind: 'bad', offset, why: `${win.at - offset} bytes that are not a gzip member`, fatal: false };
      if (!found) return;
      continue;
    }
    let r = inflateMember(win.buf, header, cap);
    while (!r.ok && r.why === 'incomplete' && !win.eof) {
      await win.ensure(win.buf.length + CHUNK);
      r = inflateMember(win.buf, header, cap);
    }
    if (r.ok) {
      win.consume(r.memberLength);
      yield* recordsIn(r.out, offset);
      continue;
    }
    if (r.why === 'incomplete') return yield { kind: 'bad', offset, why: `the last gzip member breaks off (${r.message})`, fatal: true };
    if (r.why === 'too-large') {
      // Several records in one member (a whole .warc gzipped at once): read as a stream, record by record.
      const member = memberSource(path, offset + header);
      const read = yield* streamedMember(member, cap, offset);
      if (read.records > 0) {
        if (read.whole) await win.skip(header + member.consumed() + 8);
        else if (!(await win.seek(GZIP_MAGIC, header))) return;
        continue;
      }
      // One record too large for the cap: reported below, like a member that is not whole.
    }
    const bad: Frame = { kind: 'bad', offset, why: r.why === 'too-large' ? `a record larger than ${cap} bytes` : `a corrupt gzip member (${r.message})`, fatal: false, tooLarge: r.why === 'too-large', head: memberHead(win.buf, header) };
    yield bad;
    if (!(await win.seek(GZIP_MAGIC, header))) return;
  }
}

/** The records inside one inflated member (one, as writers write them; several are read in turn). */
function* recordsIn(out: Buffer, offset: number): Generator<Frame> {
  let pos = 0;
  while (pos < out.length) {
    if (out[pos] === 0x0d || out[pos] === 0x0a) {
      pos++;
      continue;
    }
    const framed = frameAt(out, pos);
    if (framed.kind === 'bad') return yield { kind: 'bad', offset, why: framed.why, fatal: false, head: out.subarray(pos, pos + 64 * 1024) };
    yield { kind: 'record', offset, bytes: out.subarray(pos, framed.end) };
    pos = framed.next;
  }
}

type Framed = { kind: 'record'; end: number; next: number } | { kind: 'bad'; why: string; incomplete?: boolean };

/** Where the header block at `pos` ends and the Content-Length it declares, when both are there. */
function declared(buf: Buffer, pos: number): { headEnd: number; length: number | null } | null {
  const headEnd = buf.indexOf('\r\n\r\n', pos);
  if (headEnd < 0) return null;
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(buf.toString('latin1', pos, headEnd))?.[1];
  return { headEnd, length: length === undefined ? null : Number(length) };
}

/** One record's extent at `pos`: its header block, Content-Length bytes of block, then CRLF CRLF. */
function frameAt(buf: Buffer, pos: number): Framed {
  const head = declared(buf, pos);
  if (!head) return { kind: 'bad', why: 'a record header without its end', incomplete: true };
  if (!RECORD_START.test(buf.toString('latin1', pos, pos + 10))) return { kind: 'bad', why: 'no WARC/1.x record header' };
  if (head.length === null) return { kind: 'bad', why: 'a record header without Content-Length' };
  const end = head.headEnd + 4 + head.length;
  if (buf.length < end + 4) return { kind: 'bad', why: `a record shorter than its Content-Length ${head.length}`, incomplete: true };
  if (buf.toString('latin1', end, end + 4) !== '\r\n\r\n') return { kind: 'bad', why: `Content-Length ${head.length} does not end the record` };
  return { kind: 'record', end, next: end + 4 };
}

/**
 * The records of a member read as a stream, yielded as they come. The first
 * bad record ends it (when it is the first record, most often one record too
 * large for the cap, nothing is yielded: the caller reports the member).
 * `whole`: the member ended cleanly, every record read.
 */
async function* streamedMember(member: ReturnType<typeof memberSource>, cap: number, offset: number): AsyncGenerator<Frame, { records: number; whole: boolean }> {
  let records = 0;
  try {
    for await (const f of plainFrames(new Window(member), cap)) {
      if (f.kind === 'record') {
        records++;
        yield { ...f, offset };
        continue;
      }
      if (records > 0) yield { ...f, offset, fatal: false };
      return { records, whole: false };
    }
    return { records, whole: !member.failed() };
  } finally {
    member.close();
  }
}

/** Records of an uncompressed .warc: framed one by one; a bad one is skipped to the next line that starts a record. */
async function* plainFrames(win: Window, cap: number): AsyncGenerator<Frame> {
  while (await win.ensure(1)) {
    if (win.buf[0] === 0x0d || win.buf[0] === 0x0a) {
      win.consume(1); // blank lines between records (some writers add them)
      continue;
    }
    const offset = win.at;
    let framed = frameAt(win.buf, 0);
    while (framed.kind === 'bad' && framed.incomplete && !win.eof) {
      const extent = recordExtent(win.buf);
      if ((extent ?? 0) > cap || (extent === null && win.buf.length > MAX_HEADER)) break;
      await win.ensure(Math.max(win.buf.length + CHUNK, extent ?? 0));
      framed = frameAt(win.buf, 0);
    }
    if (framed.kind === 'record') {
      yield { kind: 'record', offset, bytes: win.buf.subarray(0, framed.end) };
      win.consume(framed.next);
      continue;
    }
    if (offset === 0 && !RECORD_START.test(win.buf.toString('latin1', 0, 10))) return yield { kind: 'bad', offset, why: 'no WARC/1.x record header at the start', fatal: true };
    if (framed.incomplete && win.eof) return yield { kind: 'bad', offset, why: `breaks off: ${framed.why}`, fatal: true };
    const head = Buffer.from(win.buf.subarray(0, Math.min(win.buf.length, 64 * 1024)));
    const tooLarge = framed.incomplete === true;
    yield { kind: 'bad', offset, why: tooLarge ? `a record larger than ${cap} bytes` : framed.why, fatal: false, tooLarge, head };
    const declared = recordExtent(win.buf);
    if (tooLarge && declared !== null) await win.skip(declared); // whole but too large: skipped unread
    else if (!(await nextRecordStart(win))) return;
  }
}

/** Where the record at the window's start ends by its header (header, Content-Length, CRLF CRLF), or null. */
function recordExtent(buf: Buffer): number | null {
  const head = declared(buf, 0);
  return head === null || head.length === null ? null : head.headEnd + 4 + head.length + 4;
}

/** Move to the next line that begins a record (WARC/1.0 or WARC/1.1 after a line break), past the current one's first line; false at the file's end. */
async function nextRecordStart(win: Window): Promise<boolean> {
  let from = 1;
  for (;;) {
    if (!(await win.seek('\nWARC/1.', from))) return false;
    await win.ensure(12);
    win.consume(1);
    if (RECORD_START.test(win.buf.toString('latin1', 0, 11))) return true;
    from = 1;
  }
}

/** Every record of the file, or what went wrong where; `cap`: the largest record read (a larger one is a bad frame with tooLarge). */
export async function* warcFrames(path: string, cap: number): AsyncGenerator<Frame> {
  const fh = await open(path, 'r');
  try {
    const win = new Window(fileSource(fh));
    await win.ensure(3);
    const gz = win.buf.compare(GZIP_MAGIC, 0, 2, 0, 2) === 0;
    yield* gz ? gzipFrames(path, win, cap) : plainFrames(win, cap);
  } finally {
    await fh.close();
  }
}
