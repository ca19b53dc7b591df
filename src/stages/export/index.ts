/**
 * The export stage's public surface: everything outside src/stages/export
 * imports from here (eslint.config.js enforces it). Article → record
 * (record), JSONL output (jsonl-writer), a run's files, written atomically and
 * repaired after a crash (run-files), and how a broken output is reported
 * (output-error).
 */
export { countWords, joinParagraphs, toRecord } from './record.js';
export { type JsonlWriter, openJsonl } from './jsonl-writer.js';
export {
  type LineSink,
  type RepairResult,
  type RunPaths,
  checkWritable,
  newRunId,
  openLineSink,
  readRunLines,
  repairRunFile,
  runPaths,
  writeFileAtomic,
  writeJsonAtomic,
} from './run-files.js';
export { isClosedStdout, outputError } from './output-error.js';
export { type WarcExchange, type WarcPosition, type WarcWriter, type WarcWriterOptions, openWarcWriter } from './warc-writer.js';
export { type WarcArchive, type WarcArchiveOptions, checkWarcDir, openWarcArchive, repairRunWarc, runWarcFiles } from './warc-archive.js';
export { type WarcRepair, repairWarcFile } from './warc-repair.js';
