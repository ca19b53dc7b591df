/** The stop-signal handler in process: process.emit delivers a signal to the listeners without killing the test runner. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/shared/log.js';
import { type Shutdown, handleStopSignals, signalExitCode } from '../../src/run/shutdown.js';

let active: Shutdown | null = null;
afterEach(() => {
  active?.dispose();
  active = null;
  vi.useRealTimers();
});

describe('handleStopSignals', () => {
  it('the first signal aborts and calls onStop; the grace period then exits with 128 + the signal', () => {
    vi.useFakeTimers();
    const exit = vi.fn();
    const onStop = vi.fn();
    active = handleStopSignals({ graceMs: 1000, log: silentLogger, exit, onStop });
    expect(active.signal.aborted).toBe(false);
    process.emit('SIGTERM');
    expect(active.signal.aborted).toBe(true);
    expect(active.received()).toBe('SIGTERM');
    expect(active.exitCode()).toBe(143);
    expect(onStop).toHaveBeenCalledWith('SIGTERM');
    vi.advanceTimersByTime(999);
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(143);
  });
  it('a second signal exits at once, with the first signal’s status', () => {
    const exit = vi.fn();
    active = handleStopSignals({ graceMs: 60_000, log: silentLogger, exit });
    process.emit('SIGINT');
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGTERM');
    expect(exit).toHaveBeenCalledWith(130);
  });
  it('dispose removes the handlers; no signal means no exit code', () => {
    const before = process.listenerCount('SIGTERM');
    const s = handleStopSignals({ graceMs: 10, log: silentLogger, exit: vi.fn() });
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(s.exitCode()).toBeNull();
    s.dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(signalExitCode('SIGINT')).toBe(130);
  });
});
