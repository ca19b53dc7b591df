/**
 * A run's output files, crash-safe (never lose, never duplicate):
 *
 *   <output-dir>/<YYYY-MM-DD>/<run-id>.jsonl[.gz]          records
 *   <output-dir>/<YYYY-MM-DD>/<run-id>.rejects.jsonl[.gz]  rejects
 *   <output-dir>/<YYYY-MM-DD>/<run-id>.manifest.json       written atomically
 *
 * A LineSink's write() resolves only once its line has reached the file
 * descriptor (a write syscall: it survives SIGKILL of this process, page cache
 * is enough). Lines queued while a write is in flight go out together as one
 * batch, so throughput does not cost one syscall per line. After a kill the
 * file may end in a torn line (or an unterminated gzip member):
 * repairRunFile removes it, and openLineSink runs the repair before it appends.
 */
import { randomBytes } from 'node:crypto';
import { close as fsClose, fstatSync, open as fsOpen, write as fsWrite } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type GzipEncoder, openGzipEncoder } from './gzip-lines.js';
import { repairRunFile } from './run-file-repair.js';
import { outputError } from './output-error.js';

export { writeJsonAtomic, writeFileAtomic } from './atomic-file.js';
export { type RepairResult, readRunLines, repairRunFile } from './run-file-repair.js';

export interface RunPaths {
  dir: string;
  records: string;
  rejects: string;
  manifest: string;
}

/** `<outputDir>/<YYYY-MM-DD of startedAt, UTC>/<runId>.jsonl[.gz]`, `.rejects.jsonl[.gz]`, `.manifest.json`. */
export function runPaths(outputDir: string, runId: string, startedAt: Date, opts: { gzip: boolean }): RunPaths {
  if (!/^[\w.-]+$/.test(runId) || /^\.+$/.test(runId)) throw new Error(`invalid run id: ${JSON.stringify(runId)}`);
  const dir = join(outputDir, startedAt.toISOString().slice(0, 10));
  const ext = opts.gzip ? '.jsonl.gz' : '.jsonl';
  return {
    dir,
    records: join(dir, `${runId}${ext}`),
    rejects: join(dir, `${runId}.rejects${ext}`),
    manifest: join(dir, `${runId}.manifest.json`),
  };
}

/** A sortable, unique run id: `20261121T093000Z-1a2b3c` (UTC start time to the second + 24 random bits). */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Fail early, before anything is fetched: the folder can be made and written,
 * and the path is not a folder. Throws OUTPUT_FAILED naming the path. '-' (stdout) passes.
 */
export async function checkWritable(path: string): Promise<void> {
  if (path === '-') return;
  try {
    await mkdir(dirname(path), { recursive: true }).catch(async (err: unknown) => {
      // mkdir -p reports ENOENT on a read-only file system: the nearest folder that exists says why (EROFS, EACCES, ENOTDIR).
      await access(await nearestExisting(dirname(path)), fsConstants.W_OK);
      throw err;
    });
    await access(dirname(path), fsConstants.W_OK);
    const st = await stat(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (st?.isDirectory()) throw Object.assign(new Error(`EISDIR: is a folder, not a file: ${path}`), { code: 'EISDIR' });
    if (st) await access(path, fsConstants.W_OK);
  } catch (err) {
    throw outputError(path, err);
  }
}

async function nearestExisting(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    const found = await stat(d).then(() => true, () => false);
    if (found || dirname(d) === d) return d;
  }
}

export interface LineSink {
  /** Append one object as one JSON line. Resolves once the whole line has been written to the file descriptor (so it survives a SIGKILL of this process). */
  write(obj: unknown): Promise<void>;
  /** Lines written (resolved) so far by this sink. */
  readonly lines: number;
  /** Uncompressed bytes written so far by this sink. */
  readonly bytes: number;
  /** Wait for queued lines, end the gzip member, close the file ('-': stdout stays open). Idempotent. */
  close(): Promise<void>;
}

/** Where a sink's (possibly compressed) bytes go. */
interface ByteOut {
  append(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

function fileOut(fd: number): ByteOut {
  const writeSome = (data: Buffer, offset: number): Promise<number> =>
    new Promise((resolve, reject) =>
      fsWrite(fd, data, offset, data.length - offset, null, (err, n) => (err ? reject(err) : resolve(n))),
    );
  return {
    async append(data) {
      // A file deleted under the run (not renamed) still takes writes, into an inode nobody will read:
      // its link count says so (one fstat per batch), and the run stops instead of exporting into nothing.
      if (fstatSync(fd).nlink === 0) throw Object.assign(new Error('the file was deleted while the run was writing it; lines written to it are lost'), { code: 'EDELETED' });
      // O_APPEND: every write lands at the end; loop over short writes.
      for (let off = 0; off < data.length; ) off += await writeSome(data, off);
    },
    close: () => new Promise((resolve, reject) => fsClose(fd, (err) => (err ? reject(err) : resolve()))),
  };
}

/** A file opened (created) on the first append. */
function lazyFileOut(path: string): ByteOut {
  let out: Promise<ByteOut> | null = null;
  return {
    async append(data) {
      out ??= openAppend(path).then(fileOut);
      await (await out).append(data);
    },
    close: async () => {
      if (out) await (await out).close();
    },
  };
}

/** A stream the caller owns (stdout): resolves per write callback, never ended. */
function streamOut(stream: NodeJS.WritableStream): ByteOut {
  let failed: unknown = null;
  const onError = (err: unknown): void => {
    failed ??= err;
  };
  stream.on('error', onError);
  return {
    append: (data) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        stream.write(data, (err) => (err || failed ? reject(err ?? failed) : resolve()));
      }),
    async close() {
      stream.off('error', onError);
      if (failed) throw failed;
    },
  };
}

const openAppend = (path: string): Promise<number> =>
  new Promise((resolve, reject) => fsOpen(path, 'a', 0o644, (err, fd) => (err ? reject(err) : resolve(fd))));

/**
 * Open for appending (creating parent dirs). '-' = stdout (never closed).
 * An existing file is repaired first (torn tail / unterminated gzip member
 * removed) unless `repair: false` says the caller already did. gzip: each
 * batch is sync-flushed, and each open starts a new gzip member, so the file
 * stays readable by zcat/gunzip after repair and further appends.
 */
export async function openLineSink(
  target: string,
  opts: {
    gzip: boolean;
    repair?: boolean;
    /** zlib level 1-9, default 6 */
    gzipLevel?: number;
    /** Create the file only with its first line: a run with nothing to write leaves no empty file. */
    lazy?: boolean;
  },
): Promise<LineSink> {
  let out: ByteOut;
  if (target === '-') out = streamOut(process.stdout);
  else {
    try {
      await mkdir(dirname(target), { recursive: true });
      if (opts.repair !== false) await repairRunFile(target, { gzip: opts.gzip });
      out = opts.lazy ? lazyFileOut(target) : fileOut(await openAppend(target));
    } catch (err) {
      throw outputError(target, err);
    }
  }
  return batchedSink(out, opts.gzip ? openGzipEncoder(opts.gzipLevel) : null, (err) => outputError(target, err));
}

interface Pending {
  text: string;
  resolve(): void;
  reject(err: unknown): void;
}

/** Largest batch handed to one write (characters of JSON). */
const MAX_BATCH = 4 << 20;

function batchedSink(out: ByteOut, encoder: GzipEncoder | null, coded: (err: unknown) => Error): LineSink {
  let queue: Pending[] = [];
  let draining = false;
  let drained: Promise<void> = Promise.resolve();
  let failed: unknown = null;
  let closed = false;
  let closing: Promise<void> | null = null;
  let lines = 0;
  let bytes = 0;

  const takeBatch = (): Pending[] => {
    let n = 0;
    for (let size = 0; n < queue.length && (n === 0 || size < MAX_BATCH); n++) size += queue[n]!.text.length;
    return queue.splice(0, n);
  };

  const fail = (err: unknown, batch: Pending[]): void => {
    failed ??= coded(err);
    err = failed;
    for (const p of [...batch, ...queue]) p.reject(err);
    queue = [];
  };

  async function drain(): Promise<void> {
    for (;;) {
      // Cleared in the same synchronous step as the emptiness check, so a write() that runs in between
      // (e.g. a caller resuming from the previous batch) always finds the loop running or starts it.
      if (queue.length === 0 || failed) {
        draining = false;
        return;
      }
      const batch = takeBatch();
      const data = Buffer.from(batch.map((p) => p.text).join(''), 'utf8');
      try {
        await out.append(encoder ? await encoder.encode(data) : data);
      } catch (err) {
        fail(err, batch);
        continue;
      }
      lines += batch.length;
      bytes += data.length;
      for (const p of batch) p.resolve();
    }
  }

  return {
    write(obj) {
      if (failed) return Promise.reject(failed);
      if (closed) return Promise.reject(new Error('line sink is closed'));
      let text: string | undefined;
      try {
        text = JSON.stringify(obj) as string | undefined;
      } catch (err) {
        return Promise.reject(err);
      }
      if (text === undefined) return Promise.reject(new TypeError(`cannot write ${typeof obj} as a JSON line`));
      const line = text + '\n';
      return new Promise<void>((resolve, reject) => {
        queue.push({ text: line, resolve, reject });
        if (!draining) {
          draining = true;
          drained = drain();
        }
      });
    },
    get lines() {
      return lines;
    },
    get bytes() {
      return bytes;
    },
    close() {
      closing ??= (async () => {
        closed = true;
        await drained;
        try {
          if (failed) throw failed;
          if (encoder && lines > 0) await out.append(await encoder.finish());
        } catch (err) {
          throw coded(err);
        } finally {
          await out.close().catch((err: unknown) => {
            failed ??= coded(err);
          });
        }
        if (failed) throw failed;
      })();
      return closing;
    },
  };
}
