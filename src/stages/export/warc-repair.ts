/**
 * After a kill: a WARC file's last gzip member may be torn (a write cut
 * short). Each record is its own member, so the file is cut back to the end
 * of its last whole member, and every record before it stays readable; the
 * same promise the JSONL files keep (run-file-repair.ts).
 */
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export interface WarcRepair {
  file: string;
  /** Bytes cut from the end (0: the file was whole). */
  droppedBytes: number;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
const WINDOW = 16 << 20;

/** Length of the gzip header at `at` (RFC 1952: fixed 10 bytes, then the optional fields the flags name); null when none starts there. */
function headerLength(buf: Buffer, at: number): number | null {
  if (buf.length < at + 10 || GZIP_MAGIC.some((b, i) => buf[at + i] !== b)) return null;
  const flags = buf[at + 3]!;
  let pos = at + 10;
  if (flags & 0x04) {
    if (buf.length < pos + 2) return null;
    pos += 2 + buf.readUInt16LE(pos);
  }
  for (const bit of [0x08, 0x10]) {
    if (!(flags & bit)) continue;
    const end = buf.indexOf(0, pos);
    if (end < 0) return null;
    pos = end + 1;
  }
  if (flags & 0x02) pos += 2;
  return pos <= buf.length ? pos - at : null;
}

/** The length of the whole gzip member at the start of `buf`, or null when it is not whole within `buf`. */
function memberLength(buf: Buffer): number | null {
  const header = headerLength(buf, 0);
  if (header === null) return null;
  try {
    const { engine } = inflateRawSync(buf.subarray(header), { info: true }) as unknown as { engine: { bytesWritten: number } };
    const end = header + engine.bytesWritten + 8; // + CRC32 and ISIZE
    return end <= buf.length ? end : null;
  } catch {
    return null;
  }
}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

/** End of the last whole member: members walked in turn through a read window (16 MB, larger for a larger member). */
async function wholeLength(fh: FileHandle, size: number): Promise<number> {
  let buf: Buffer = Buffer.alloc(0);
  let start = 0;
  let window = WINDOW;
  let offset = 0;
  while (offset < size) {
    const length = memberLength(buf.subarray(offset - start));
    if (length !== null) {
      offset += length;
      continue;
    }
    if (start + buf.length >= size) return offset; // the rest of the file is read and holds no whole member: torn
    if (start === offset && buf.length > 0) window *= 4; // one member larger than the window
    buf = await readAt(fh, offset, Math.min(window, size - offset));
    start = offset;
  }
  return offset;
}

/** Cut one file back to its last whole record. */
export async function repairWarcFile(path: string): Promise<WarcRepair> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const keep = await wholeLength(fh, size);
    if (keep < size) {
      await fh.truncate(keep);
      await fh.sync();
    }
    return { file: path, droppedBytes: size - keep };
  } finally {
    await fh.close();
  }
}

/** The WARC files in `dir` whose names start with `prefix-`, oldest name first. */
export async function listWarcFiles(dir: string, prefix: string): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return names.filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.warc.gz')).sort().map((n) => join(dir, n));
}

/** Every WARC file of `prefix` in `dir`, each cut back to its last whole record. Only for files no live process writes to. */
export async function repairWarcFiles(dir: string, prefix: string): Promise<WarcRepair[]> {
  const out: WarcRepair[] = [];
  for (const file of await listWarcFiles(dir, prefix)) out.push(await repairWarcFile(file));
  return out;
}
