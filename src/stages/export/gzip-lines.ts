/**
 * Gzip for crash-safe JSONL: an encoder that sync-flushes after every batch
 * (so each flushed line can be decoded from a file cut off right after it),
 * and a tolerant decoder that reads everything decodable from a file whose
 * last gzip member was cut off by a kill.
 *
 * One encoder = one gzip member. Every time a sink is reopened it starts a
 * new member; concatenated members are valid gzip (`zcat`, `gunzip`, zlib).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { type ZlibOptions, constants, createGunzip, createGzip, gunzipSync } from 'node:zlib';

export const GZIP_LEVEL = 6;

export interface GzipEncoder {
  /** Compress `data` and sync-flush; the bytes returned (appended after all earlier ones) make `data` decodable from a truncated file. */
  encode(data: Buffer): Promise<Buffer>;
  /** End the member: the remaining bytes (final block, CRC and size trailer). The encoder is unusable afterwards. */
  finish(): Promise<Buffer>;
}

const EMPTY = Buffer.alloc(0);

export function openGzipEncoder(level = GZIP_LEVEL): GzipEncoder {
  // flush: Z_SYNC_FLUSH ends every write() on a byte boundary with all of its input decodable.
  // Paused mode, with a read-side buffer big enough that zlib never stalls waiting for a reader: once a
  // write callback fires, everything that write produced has been pushed, and read() takes it synchronously.
  const gz = createGzip({ level, flush: constants.Z_SYNC_FLUSH, readableHighWaterMark: 2 ** 30 } as ZlibOptions);
  let failed: unknown = null;
  gz.on('error', (err) => {
    failed ??= err;
  });
  const take = (): Buffer => (gz.read() as Buffer | null) ?? EMPTY;

  return {
    encode(data) {
      return new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        gz.write(data, (err) => (err || failed ? reject(err ?? failed) : resolve(take())));
      });
    },
    async finish() {
      if (failed) throw failed;
      // end() calls back before zlib's final output is pushed; 'end' (all data consumed) is the reliable signal.
      const chunks: Buffer[] = [take()];
      gz.on('data', (chunk: Buffer) => chunks.push(chunk));
      const ended = once(gz, 'end');
      gz.end();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}

const TOLERANT = { finishFlush: constants.Z_SYNC_FLUSH } as const;

/**
 * Everything decodable from `buf`, a truncated last member included (cut off
 * mid-header, mid-block or before the trailer). Throws on corruption that a
 * truncation cannot explain (bad magic, bad CRC), so a caller never "repairs"
 * a file it does not understand.
 */
export function gunzipTolerant(buf: Buffer): Buffer {
  return buf.length === 0 ? EMPTY : gunzipSync(buf, TOLERANT);
}

/** The decoded bytes, and whether `buf` is whole gzip; a torn file is decoded a second time, tolerantly. */
export function gunzipChecked(buf: Buffer): { text: Buffer; complete: boolean } {
  if (buf.length === 0) return { text: EMPTY, complete: true };
  try {
    return { text: gunzipSync(buf), complete: true };
  } catch {
    return { text: gunzipTolerant(buf), complete: false };
  }
}

/** The decoded bytes of a gzip file, streamed, with the same tolerance as gunzipTolerant. */
export async function* gunzipFileChunks(path: string): AsyncGenerator<Buffer> {
  const src = createReadStream(path);
  const gunzip = createGunzip(TOLERANT);
  src.on('error', (err) => gunzip.destroy(err));
  src.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    src.destroy();
    gunzip.destroy();
  }
}
