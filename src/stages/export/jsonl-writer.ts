import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { outputError } from './output-error.js';

export interface JsonlWriter {
  /** Write one object as one line; resolves once the stream can take more. */
  write(obj: unknown): Promise<void>;
  /** Flush; ends the stream only if openJsonl opened it (a file path). */
  close(): Promise<void>;
}

/**
 * Open a JSONL sink: a file path (parent directories are created), '-' for
 * stdout, or a stream the caller owns. JSON.stringify never emits raw
 * newlines, so each object is exactly one line.
 */
export function openJsonl(target: string | '-' | NodeJS.WritableStream): JsonlWriter {
  let stream: NodeJS.WritableStream;
  let owned = false;
  const name = typeof target === 'string' ? target : 'output';
  if (target === '-') stream = process.stdout;
  else if (typeof target === 'string') {
    try {
      mkdirSync(dirname(target), { recursive: true });
    } catch (err) {
      throw outputError(target, err);
    }
    // -o FILE appends, for every command (as Scrapy's -o does). A 1 MiB buffer: with the default 16 KiB, a record or
    // two fill it and each write waits for the thread pool's write to finish (the process idles); writes now batch.
    stream = createWriteStream(target, { flags: 'a', highWaterMark: 1 << 20 });
    owned = true;
  } else stream = target;

  // Keep the first error (as OUTPUT_FAILED) so it surfaces on the next write/close instead of crashing the process.
  let failed: unknown = null;
  const onError = (err: unknown): void => {
    failed ??= outputError(name, err);
  };
  stream.on('error', onError);
  let closed = false;

  return {
    async write(obj) {
      if (failed) throw failed;
      if (closed) throw new Error('JSONL writer is closed');
      // once() rejects if the stream errors while we wait for 'drain'.
      try {
        if (!stream.write(JSON.stringify(obj) + '\n')) await once(stream, 'drain');
      } catch (err) {
        throw (failed ??= outputError(name, err));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (failed) throw failed;
      try {
        if (owned) {
          const done = once(stream, 'close');
          stream.end();
          await done;
        } else if ((stream as { writableNeedDrain?: boolean }).writableNeedDrain) {
          await once(stream, 'drain');
        }
      } catch (err) {
        failed ??= outputError(name, err);
      }
      stream.off('error', onError);
      if (failed) throw failed;
    },
  };
}
