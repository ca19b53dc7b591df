/**
 * A worker's output for one queued run: its own part files in the run's
 * folder, `part-<worker>.jsonl` and `part-<worker>.rejects.jsonl` (`.gz`
 * with output.gzip), appended line by line and never shared with another
 * process, so workers need no lock between them. The coordinator lists the
 * parts in the run's manifest when the run ends (coordinator.ts).
 */
import { join } from 'node:path';
import { type LineSink, openLineSink } from '../stages/export/index.js';

export interface RunParts {
  records: LineSink;
  rejects: LineSink;
  close(): Promise<void>;
}

export const partName = (worker: string, kind: 'records' | 'rejects', gzip: boolean): string =>
  `part-${worker}${kind === 'rejects' ? '.rejects' : ''}.jsonl${gzip ? '.gz' : ''}`;

/** Opened lazily: a file appears with its first line. A torn last line left by a kill is cut (repair). */
export async function openRunParts(folder: string, worker: string, gzip: boolean): Promise<RunParts> {
  const records = await openLineSink(join(folder, partName(worker, 'records', gzip)), { gzip, repair: true, lazy: true });
  const rejects = await openLineSink(join(folder, partName(worker, 'rejects', gzip)), { gzip, repair: true, lazy: true });
  return { records, rejects, close: async () => (await records.close(), await rejects.close()) };
}
