/**
 * What a command shows while it runs: the logger and the progress reporter,
 * chosen together because on a terminal the log lines go through the live
 * display (above it), and off a terminal progress is itself log lines.
 */
import type { Config } from '../config/schema.js';
import { type Logger, createLogger } from '../shared/log.js';
import { type ProgressReporter, chooseProgressMode, createSilentProgress, createStatsLines, createTerminalProgress, reporterStream } from './progress.js';

export interface RunConsole {
  log: Logger;
  progress: ProgressReporter;
  /** Whether people read stderr (a terminal): the end-of-run report is then printed as text, else logged as JSON. */
  tty: boolean;
}

export function createRunConsole(config: Config, opts: { quiet?: boolean | undefined }): RunConsole {
  const tty = process.stderr.isTTY === true;
  const quiet = opts.quiet === true;
  const mode = chooseProgressMode({ isTTY: tty, quiet });
  let log: Logger | undefined;
  const progress =
    mode === 'tty'
      ? createTerminalProgress(process.stderr)
      : mode === 'lines' && config.log.progressIntervalMs > 0
        ? createStatsLines(() => log!, { intervalMs: config.log.progressIntervalMs })
        : createSilentProgress();
  log = createLogger({ level: config.log.level, format: config.log.format, quiet, isTTY: tty, ...(mode === 'tty' && { sink: reporterStream(progress) }) });
  return { log, progress, tty };
}
