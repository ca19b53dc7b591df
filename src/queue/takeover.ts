/**
 * A job taken over from a worker that died holding it (BullMQ: stalled, then
 * given to another worker). The dead worker may have written the article's
 * line to its part and died before the state remembered it; exporting again
 * would put the article in the run twice. So before a taken-over job writes
 * an article, the other parts of the run are read for a line of the same
 * page: found, it is adopted (remembered in the state as written there) and
 * not written again. Only taken-over jobs pay for this read, and it reads
 * complete lines only (a torn last line is no export; the coordinator cuts
 * it when the run ends).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleRecord } from '../shared/types.js';
import { readRunLines } from '../stages/export/index.js';

/** Record parts of the run other than this worker's. */
function otherParts(folder: string, worker: string): string[] {
  try {
    return readdirSync(folder).filter((f) => /^part-.*\.jsonl(\.gz)?$/.test(f) && !f.includes('.rejects.') && !f.startsWith(`part-${worker}.`));
  } catch {
    return [];
  }
}

/** The line another worker wrote for this page (same source URL and id), if any. */
export async function writtenElsewhere(folder: string, worker: string, record: Pick<ArticleRecord, 'source' | 'id'>): Promise<ArticleRecord | null> {
  for (const part of otherParts(folder, worker)) {
    for await (const line of readRunLines(join(folder, part), { missingOk: true })) {
      const r = line as ArticleRecord;
      if (r.source === record.source && r.id === record.id) return r;
    }
  }
  return null;
}
