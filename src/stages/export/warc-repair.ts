/**
 * After a kill: a WARC file's last gzip member may be torn (a write cut
 * short). Each record is its own member, so the file is cut back to the end
 * of its last whole member, and every record before it stays readable; the
 * same promise the JSONL files keep (run-file-repair.ts).
 */
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:buffer';
import { gzipHeaderLength, inflateMember } from '../../shared/warc-frames.js';

const { MAX_LENGTH } = constants;

export interface WarcRepair {
  file: string;
  /** Bytes cut from the end (0: the file was whole). */
  droppedBytes: number;
}

/** The length of the whole gzip member at the start of `buf`, or null when it is not whole within `buf`. */
function memberLength(buf: Buffer): number | null {
  const header = gzipHeaderLength(buf);
  if (header === null) return null;
  const r = inflateMember(buf, header, MAX_LENGTH);
  return r.ok ? r.memberLength : null;
}

const WINDOW = 16 << 20;

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
