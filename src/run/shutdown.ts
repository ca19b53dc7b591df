/**
 * SIGINT / SIGTERM for long runs. The first signal asks for a graceful stop:
 * `signal` aborts, so no new URL is taken, in-flight pages finish and outputs
 * and state are flushed; if that takes longer than the grace period the
 * process exits anyway (the state's resume picks up what was left). A second
 * signal exits at once. Either way the exit status is 128 + the signal number
 * (130 for SIGINT, 143 for SIGTERM), as shells report it.
 */
import { constants } from 'node:os';
import type { Logger } from '../shared/log.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface Shutdown {
  signal: AbortSignal;
  /** The signal that asked for the stop, or null. */
  received(): StopSignal | null;
  /** The exit status for a stop by signal: 128 + its number. */
  exitCode(): number | null;
  /** Remove the handlers (the command is over). */
  dispose(): void;
}

export const signalExitCode = (sig: StopSignal): number => 128 + constants.signals[sig];

export interface ShutdownOptions {
  graceMs: number;
  log: Logger;
  /** Test seam; default process.exit. */
  exit?: (code: number) => void;
  /** Called on the first signal, after `signal` aborted (schedule mode stops its timers here). */
  onStop?: (sig: StopSignal) => void;
}

export function handleStopSignals(opts: ShutdownOptions): Shutdown {
  const controller = new AbortController();
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let first: StopSignal | null = null;
  let timer: NodeJS.Timeout | undefined;

  const onSignal = (sig: StopSignal): void => {
    if (first !== null) {
      opts.log.error({ signal: sig, code: 'INTERRUPTED' }, 'second signal: exiting now; the next run resumes what is left');
      exit(signalExitCode(first));
      return;
    }
    first = sig;
    opts.log.warn({ signal: sig, grace_ms: opts.graceMs, code: 'INTERRUPTED' }, 'stopping: no new URLs; finishing pages in flight (send the signal again to exit now)');
    controller.abort(sig);
    opts.onStop?.(sig);
    // unref: a stop that finishes in time ends the process normally, without waiting for this timer.
    timer = setTimeout(() => {
      opts.log.error({ signal: sig, grace_ms: opts.graceMs, code: 'INTERRUPTED' }, 'grace period over: exiting; the next run resumes what is left');
      exit(signalExitCode(sig));
    }, opts.graceMs);
    timer.unref();
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  return {
    signal: controller.signal,
    received: () => first,
    exitCode: () => (first ? signalExitCode(first) : null),
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      // The grace timer stays armed: if something still holds the process open after a stop, it ends it.
    },
  };
}

/** Run each closer (files, pools, timers) even when an earlier one throws; then rethrow the first error. */
export async function closeAll(closers: ReadonlyArray<() => unknown>): Promise<void> {
  let first: unknown = null;
  for (const close of closers) {
    try {
      await close();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== null) throw first;
}
