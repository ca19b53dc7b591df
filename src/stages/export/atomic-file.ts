import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { outputError } from './output-error.js';

/**
 * Replace `path` atomically: write a hidden temp file in the same directory,
 * fsync it, rename it over `path`, then fsync the directory. A reader sees
 * either the old file or the new one, never a partial write; after a crash the
 * worst case is a stray `.<name>.<pid>.<rand>.tmp` file, never a torn `path`.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** Make a rename in `dir` durable. Not every platform can open or fsync a directory (Windows); the rename is atomic anyway. */
async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Write JSON to `path` atomically (pretty-printed, trailing newline). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) throw new TypeError(`writeJsonAtomic: value is not JSON-serializable (${typeof value})`);
  await writeFileAtomic(path, text + '\n').catch((err: unknown) => {
    throw outputError(path, err);
  });
}
