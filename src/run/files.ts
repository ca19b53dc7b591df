/** A run's output files: where they go, checked before anything is fetched, opened for line-by-line writing. */
import type { Config } from '../config/schema.js';
import { type LineSink, checkWritable, openLineSink, runPaths } from '../stages/export/index.js';
import type { RunFiles, RunSpec } from './types.js';

export const isGzip = (path: string): boolean => path.endsWith('.gz');

/** Default layout, or -o FILE with its rejects and manifest beside it (or under output.dir for stdout). */
export function chooseFiles(spec: RunSpec, config: Config, runId: string, startedAt: Date): RunFiles {
  const paths = runPaths(config.output.dir, runId, startedAt, { gzip: config.output.gzip });
  if (spec.output === undefined) return { records: paths.records, rejects: spec.rejects ?? paths.rejects, manifest: paths.manifest };
  if (spec.output === '-') return { records: '-', rejects: spec.rejects ?? paths.rejects, manifest: paths.manifest };
  const base = spec.output.replace(/\.jsonl(\.gz)?$/, '');
  return { records: spec.output, rejects: spec.rejects ?? `${base}.rejects.jsonl${isGzip(spec.output) ? '.gz' : ''}`, manifest: `${base}.manifest.json` };
}

export const checkRunFiles = async (files: RunFiles): Promise<void> => {
  for (const path of [files.records, files.rejects, files.manifest]) if (path) await checkWritable(path);
};

/**
 * The records and rejects sinks, each created with its first line (a
 * scheduled run with nothing new leaves only its manifest). Each one's close
 * goes to the front of `closers` as soon as it is open.
 */
export async function openRunSinks(
  files: RunFiles,
  opts: { repair: boolean },
  closers: Array<() => unknown>,
): Promise<{ records: LineSink; rejects: LineSink | null }> {
  const records = await openLineSink(files.records, { gzip: isGzip(files.records), repair: opts.repair, lazy: true });
  closers.unshift(() => records.close());
  const rejects = files.rejects ? await openLineSink(files.rejects, { gzip: isGzip(files.rejects), repair: opts.repair, lazy: true }) : null;
  if (rejects) closers.unshift(() => rejects.close());
  return { records, rejects };
}
