/**
 * Progress reporting (src/progress.ts): mode choice, the pure figures and
 * line, stats lines through pino, and the cli-progress bar on a fake TTY.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import pinoPretty from 'pino-pretty';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ProgressFigures,
  type ProgressSnapshot,
  chooseProgressMode,
  createSilentProgress,
  createStatsLines,
  createTerminalProgress,
  fitWidth,
  reporterStream,
  describeProgress,
  formatProgress,
} from '../../src/cli/progress.js';

const ZERO: ProgressSnapshot = {
  discovered: 0, fetched: 0, articles: 0, rejects: 0, unchanged: 0, known: 0, deferred: 0, skipped: 0,
};
const snap = (p: Partial<ProgressSnapshot>): ProgressSnapshot => ({ ...ZERO, ...p });

function memoryStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('chooseProgressMode', () => {
  it.each([
    [{ isTTY: true, quiet: false }, 'tty'],
    [{ isTTY: false, quiet: false }, 'lines'],
    [{ isTTY: true, quiet: true }, 'off'],
    [{ isTTY: false, quiet: true }, 'off'],
  ] as const)('%o → %s', (opts, mode) => {
    expect(chooseProgressMode(opts)).toBe(mode);
  });
});

describe('describeProgress', () => {
  it('computes rate, pending and ETA', () => {
    const f = describeProgress(
      snap({ discovered: 1000, fetched: 420, articles: 300, rejects: 50, unchanged: 50, known: 80, deferred: 10, skipped: 10 }),
      40_000,
    );
    // settled = 300+50+50+80+10+10 = 500; rate = 400 / 40 s = 10/s; 500 pending → 50 s
    expect(f).toEqual({
      discovered: 1000, fetched: 420, exported: 300, rejected: 50, unchanged: 50, skipped: 10,
      pending: 500, pages_per_s: 10, eta_s: 50, elapsed_s: 40,
    });
  });

  it('rounds the ETA from the unrounded rate', () => {
    const f = describeProgress(snap({ discovered: 100, articles: 7 }), 3000); // 2.333/s, 93 pending
    expect(f.pages_per_s).toBe(2.33);
    expect(f.eta_s).toBe(40); // 93 / 2.333… = 39.86
  });

  it('has no ETA while nothing has been judged, and ETA 0 when nothing is pending', () => {
    expect(describeProgress(snap({ discovered: 50, fetched: 3, known: 5 }), 10_000).eta_s).toBeNull();
    const done = describeProgress(snap({ discovered: 10, known: 10 }), 10_000);
    expect(done.pages_per_s).toBe(0);
    expect(done.eta_s).toBe(0);
  });

  it('never reports negative pending', () => {
    expect(describeProgress(snap({ discovered: 2, articles: 5 }), 1000).pending).toBe(0);
  });

  it('handles elapsed 0', () => {
    const f = describeProgress(snap({ discovered: 10, articles: 4 }), 0);
    expect(f.pages_per_s).toBe(0);
    expect(f.elapsed_s).toBe(0);
    expect(f.pending).toBe(6);
    expect(f.eta_s).toBeNull();
  });
});

describe('formatProgress', () => {
  const base: ProgressFigures = {
    discovered: 1204, fetched: 800, exported: 760, rejected: 31, unchanged: 0, skipped: 0,
    pending: 413, pages_per_s: 12.36, eta_s: 65, elapsed_s: 64.7,
  };

  it('renders the example line', () => {
    expect(formatProgress(base)).toBe(
      'discovered 1,204 · fetched 800 · exported 760 · rejected 31 · 12.4 pages/s · ETA 1:05',
    );
  });

  it('shows unknown ETA, hours, and unchanged/skipped when present', () => {
    expect(formatProgress({ ...base, pages_per_s: 0, eta_s: null })).toBe(
      'discovered 1,204 · fetched 800 · exported 760 · rejected 31 · 0.0 pages/s · ETA --',
    );
    expect(
      formatProgress({ ...base, discovered: 1_234_567, unchanged: 2000, skipped: 3, eta_s: 3 * 3600 + 7 * 60 + 9 }),
    ).toBe(
      'discovered 1,234,567 · fetched 800 · exported 760 · rejected 31 · unchanged 2,000 · skipped 3 · 12.4 pages/s · ETA 3:07:09',
    );
    expect(formatProgress({ ...base, eta_s: 3600 })).toMatch(/ETA 1:00:00$/);
    expect(formatProgress({ ...base, eta_s: 0 })).toMatch(/ETA 0:00$/);
  });
});

describe('createStatsLines', () => {
  it('logs the figures every interval until stopped', () => {
    vi.useFakeTimers();
    const out = memoryStream();
    const logger = pino({ level: 'info' }, out.stream);
    let clock = 1_000_000;
    const counters = snap({ discovered: 100 });
    const passthrough = memoryStream();
    const reporter = createStatsLines(() => logger, { intervalMs: 5000, now: () => clock, stream: passthrough.stream });

    reporter.start(() => ({ ...counters }));
    clock += 4000;
    vi.advanceTimersByTime(4000);
    expect(out.text()).toBe(''); // nothing before the first interval

    counters.articles = 40;
    counters.fetched = 45;
    clock += 1000;
    vi.advanceTimersByTime(1000);
    counters.articles = 50;
    counters.rejects = 10;
    counters.fetched = 60;
    clock += 5000;
    vi.advanceTimersByTime(5000);

    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.msg)).toEqual(['progress', 'progress']);
    expect(lines[0]?.progress).toMatchObject({ discovered: 100, fetched: 45, exported: 40, pending: 60, pages_per_s: 8, eta_s: 8, elapsed_s: 5 });
    expect(lines[1]?.progress).toMatchObject({ fetched: 60, exported: 50, rejected: 10, pending: 40, pages_per_s: 6, eta_s: 7, elapsed_s: 10 });

    reporter.stop();
    clock += 20_000;
    vi.advanceTimersByTime(20_000);
    expect(out.text().trim().split('\n')).toHaveLength(2);

    reporter.write('raw line\n');
    expect(passthrough.text()).toBe('raw line\n');
  });
});

describe('createSilentProgress', () => {
  it('only passes writes through', () => {
    vi.useFakeTimers();
    const out = memoryStream();
    const reporter = createSilentProgress(out.stream);
    reporter.start(() => snap({ discovered: 5 }));
    vi.advanceTimersByTime(60_000);
    reporter.write('hello\n');
    reporter.stop();
    expect(out.text()).toBe('hello\n');
  });
});

describe('createTerminalProgress', () => {
  // readline's cursor helpers write ANSI codes to any stream, so a Writable
  // with isTTY/columns is enough; chunks are captured synchronously.
  function fakeTTY(): { stream: NodeJS.WriteStream; text: () => string } {
    const mem = memoryStream();
    const tty = Object.assign(mem.stream, { isTTY: true, columns: 120 });
    return { stream: tty as unknown as NodeJS.WriteStream, text: mem.text };
  }
  // eslint-disable-next-line no-control-regex
  const plain = (s: string): string => s.replace(/\x1B\[[0-9;?]*[A-Za-z]/g, '');

  it('draws the figures, puts log lines above the bar, and leaves the final line', () => {
    vi.useFakeTimers();
    const tty = fakeTTY();
    let clock = 0;
    const counters = snap({ discovered: 1204, fetched: 10 });
    const reporter = createTerminalProgress(tty.stream, { fps: 10, now: () => clock });
    reporter.start(() => ({ ...counters }));

    counters.fetched = 800;
    counters.articles = 760;
    counters.rejects = 31;
    clock = 64_000;
    vi.advanceTimersByTime(150);

    const mid = plain(tty.text());
    // 791 judged in 64 s = 12.36/s; 413 pending → 33 s
    expect(mid).toContain('discovered 1,204 · fetched 800 · exported 760 · rejected 31 · 12.4 pages/s · ETA 0:33');
    expect(mid).toMatch(/\[=+-+\]/); // the bar itself (791/1204 settled)

    reporter.write('{"level":30,"msg":"a log line"}\n');
    reporter.write('a log line without newline');
    counters.articles = 1100;
    counters.known = 73;
    counters.fetched = 1131;
    clock = 100_000;
    reporter.stop();

    const all = plain(tty.text());
    const logAt = all.indexOf('{"level":30,"msg":"a log line"}\n');
    expect(logAt).toBeGreaterThan(all.indexOf('ETA 0:33')); // written after the bar was up
    expect(all).toContain('a log line without newline\n');
    const finalLine = 'discovered 1,204 · fetched 1,131 · exported 1,100 · rejected 31 · 11.3 pages/s · ETA 0:00';
    expect(all.lastIndexOf(finalLine)).toBeGreaterThan(logAt); // the bar is redrawn below the logs
    expect(all.endsWith('\n')).toBe(true); // the final line is left in place
    // Flushed through the bar's log: the bar line is cleared first, not appended to.
    expect(tty.text()).toContain('\x1B[2K{"level":30,"msg":"a log line"}\n');

    // After stop, writes go straight to the stream.
    reporter.write('after stop\n');
    expect(tty.text().endsWith('after stop\n')).toBe(true);
  });
});

describe('fitWidth and a narrow terminal', () => {
  it('cuts the figures with an ellipsis, never below a few characters', () => {
    expect(fitWidth('discovered 1,204 · fetched 800', 100)).toBe('discovered 1,204 · fetched 800');
    expect(fitWidth('discovered 1,204 · fetched 800', 12)).toBe('discovered …');
    expect(fitWidth('discovered 1,204', 0)).toBe('discove…');
  });

  it('every drawn line fits a 60-column terminal', () => {
    vi.useFakeTimers();
    const mem = memoryStream();
    const tty = Object.assign(mem.stream, { isTTY: true, columns: 60 }) as unknown as NodeJS.WriteStream;
    const counters = snap({ discovered: 123_456, fetched: 99_999, articles: 88_888, rejects: 7_777, unchanged: 5, skipped: 3 });
    const reporter = createTerminalProgress(tty, { fps: 10, now: () => 5_000 });
    reporter.start(() => ({ ...counters }));
    vi.advanceTimersByTime(250);
    reporter.stop();
    // eslint-disable-next-line no-control-regex
    const lines = mem.text().replace(/\x1B\[[0-9;?]*[A-Za-z]/g, '\n').split(/[\r\n]/).filter((l) => l.includes('discovered'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
  });
});

describe('reporterStream', () => {
  it('lets pino-pretty write through the bar', () => {
    vi.useFakeTimers();
    const chunks: string[] = [];
    const tty = Object.assign(
      new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } }),
      { isTTY: true, columns: 120 },
    ) as unknown as NodeJS.WriteStream;
    const reporter = createTerminalProgress(tty, { fps: 10, now: () => 0 });
    const logger = pino({ level: 'info' }, pinoPretty({ destination: reporterStream(reporter), sync: true, colorize: false }));
    reporter.start(() => snap({ discovered: 3 }));
    logger.info('pretty hello');
    vi.advanceTimersByTime(150);
    reporter.stop();
    const raw = chunks.join('');
    expect(raw).toMatch(/\x1B\[2K[^\n]*INFO[^\n]*pretty hello\n/);
    expect(raw.lastIndexOf('discovered 3')).toBeGreaterThan(raw.indexOf('pretty hello'));
  });
});
