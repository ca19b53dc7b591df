/**
 * Output failures as one coded error: OUTPUT_FAILED naming the file (or
 * stdout) and the system's reason (ENOSPC, EACCES, EROFS, ENOTDIR, EIO,
 * EPIPE). A closed stdout (`newsclean … | head`) is the one that is not a
 * fault: the reader has what it wanted, and the command ends quietly.
 */
import { NewscleanError } from '../../shared/errors.js';

const STDOUT = '-';

export function outputError(target: string, err: unknown): NewscleanError {
  if (err instanceof NewscleanError && err.code === 'OUTPUT_FAILED') return err;
  const e = err as NodeJS.ErrnoException;
  const where = target === STDOUT ? 'stdout' : target;
  const message = e?.message ?? String(err);
  const sys = e?.code && !message.startsWith(e.code) ? `${e.code}: ` : '';
  const error = new NewscleanError('OUTPUT_FAILED', `cannot write ${where}: ${sys}${message}`, { cause: err });
  if (target === STDOUT && isPipeClosedCode(e?.code)) closedPipes.add(error);
  return error;
}

/** EPIPE, or a write after the stream was destroyed by it. */
const isPipeClosedCode = (code: string | undefined): boolean => code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
const closedPipes = new WeakSet<Error>();

/** The reader of stdout went away (`| head`): end quietly, as Unix tools do. */
export function isClosedStdout(err: unknown): boolean {
  return err instanceof Error && closedPipes.has(err);
}
