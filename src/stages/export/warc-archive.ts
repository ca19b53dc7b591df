/**
 * A run's web archive: WARC files in one folder, named after the run
 * (`newsclean-<run-id>-<timestamp>-<serial>.warc.gz`), so a resumed run
 * finds and repairs what its killed predecessor left. The writer opens on
 * the first exchange (a run that fetches nothing leaves no file); a failure
 * to write is OUTPUT_FAILED, as for the JSONL files.
 */
import { constants as fsConstants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { WarcPosition } from '../../shared/types.js';
import { VERSION } from '../../shared/version.js';
import { outputError } from './output-error.js';
import { type WarcRepair, listWarcFiles, repairWarcFiles } from './warc-repair.js';
import { type WarcExchange, type WarcWriter, openWarcWriter } from './warc-writer.js';

export interface WarcArchive {
  /** `note`: fields of a metadata record beside the response. */
  write(x: WarcExchange, note?: Record<string, string>): Promise<WarcPosition>;
  close(): Promise<void>;
  /** The files this process wrote, oldest first. */
  files(): string[];
}

export interface WarcArchiveOptions {
  dir: string;
  runId: string;
  maxBytes: number;
  /** Settings the warcinfo record names (user agent, robots policy…). */
  settings: Record<string, string>;
}

export const warcPrefix = (runId: string): string => `newsclean-${runId}`;

export function openWarcArchive(opts: WarcArchiveOptions): WarcArchive {
  let writer: WarcWriter | null = null;
  let opening: Promise<WarcWriter> | null = null;
  const info = {
    software: `newsclean/${VERSION}`,
    format: 'WARC File Format 1.1',
    conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
    hostname: hostname(),
    'newsclean-run': opts.runId,
    ...opts.settings,
  };
  const open = (): Promise<WarcWriter> =>
    (opening ??= openWarcWriter(opts.dir, { prefix: warcPrefix(opts.runId), maxBytes: opts.maxBytes, info }).then((w) => (writer = w)));
  return {
    async write(x, note) {
      try {
        return await (await open()).write(x, note);
      } catch (err) {
        throw outputError(opts.dir, err);
      }
    },
    async close() {
      const w = await opening?.catch(() => null);
      await w?.close().catch((err: unknown) => {
        throw outputError(opts.dir, err);
      });
    },
    files: () => writer?.files() ?? [],
  };
}

/** A resumed (or a queued run's ended) run: its WARC files cut back to their last whole record. */
export const repairRunWarc = (dir: string, runId: string): Promise<WarcRepair[]> => repairWarcFiles(dir, warcPrefix(runId));

/** Every WARC file of a run in `dir` (all processes' files: a queued run's workers write their own). */
export const runWarcFiles = (dir: string, runId: string): Promise<string[]> =>
  listWarcFiles(dir, warcPrefix(runId)).catch((err: unknown) => {
    throw outputError(dir, err);
  });

/** The archive folder exists (made when missing) and can be written; else OUTPUT_FAILED naming it. */
export async function checkWarcDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, fsConstants.W_OK);
  } catch (err) {
    throw outputError(dir, err);
  }
}
