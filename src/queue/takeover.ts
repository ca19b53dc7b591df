/**
 * A job run again: taken over from a worker that died holding it (BullMQ:
 * stalled), or retried after its last try failed (the state store was
 * unreachable after the line was written). Its article's line may already be
 * in a part while the state never remembered it; exporting again would put
 * the article in the run twice. So before a job run again writes an article,
 * the run's parts are read for a line of the same page: found, it is adopted
 * (remembered in the state as written there) and not written again. Only jobs
 * run again pay for this read, and it reads complete lines only (a torn last
 * line is no export; the coordinator cuts it when the run ends).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleRecord } from '../shared/types.js';
import { readRunLines } from '../stages/export/index.js';

/** The run's record parts (every worker's, this one's included). */
function recordParts(folder: string): string[] {
  try {
    return readdirSync(folder).filter((f) => /^part-.*\.jsonl(\.gz)?$/.test(f) && !f.includes('.rejects.'));
  } catch {
    return [];
  }
}

/** The line a worker already wrote for this page (same source URL and id) in this run, if any. */
export async function writtenBefore(folder: string, record: Pick<ArticleRecord, 'source' | 'id'>): Promise<ArticleRecord | null> {
  for (const part of recordParts(folder)) {
    for await (const line of readRunLines(join(folder, part), { missingOk: true })) {
      const r = line as ArticleRecord;
      if (r.source === record.source && r.id === record.id) return r;
    }
  }
  return null;
}
