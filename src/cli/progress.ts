/**
 * Crawl progress reporting: a live cli-progress line on a TTY, periodic
 * structured pino lines elsewhere (cron, containers), nothing with --quiet.
 */
import { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';

/** Counters of a running crawl (they only grow). */
/** The run's counters a display reads (defined with the run's other shared types). */
export type { ProgressSnapshot } from '../shared/types.js';
import type { ProgressSnapshot } from '../shared/types.js';

export type ProgressMode = 'tty' | 'lines' | 'off';

/** quiet → off; a TTY stream → tty; otherwise lines. */
export function chooseProgressMode(opts: { isTTY: boolean; quiet: boolean }): ProgressMode {
  if (opts.quiet) return 'off';
  return opts.isTTY ? 'tty' : 'lines';
}

/** What is shown/logged; pending = discovered - settled, rate from judged pages. */
export interface ProgressFigures {
  discovered: number; fetched: number; exported: number; rejected: number;
  unchanged: number; skipped: number; pending: number;
  pages_per_s: number; eta_s: number | null; elapsed_s: number;
}

/** Pages whose fate is decided (fetched and judged, or not fetched on purpose). */
function settledOf(s: ProgressSnapshot): number {
  return s.articles + s.rejects + s.unchanged + s.known + s.deferred + s.skipped;
}

/** Pure: the figures shown for a snapshot taken `elapsedMs` after start. */
export function describeProgress(s: ProgressSnapshot, elapsedMs: number): ProgressFigures {
  const pending = Math.max(0, s.discovered - settledOf(s));
  // Only pages that were actually fetched and judged count towards the rate.
  const rate = elapsedMs > 0 ? (s.articles + s.rejects + s.unchanged) / (elapsedMs / 1000) : 0;
  let eta: number | null;
  if (pending === 0) eta = 0;
  else if (rate === 0) eta = null;
  else eta = Math.round(pending / rate);
  return {
    discovered: s.discovered, fetched: s.fetched, exported: s.articles, rejected: s.rejects,
    unchanged: s.unchanged, skipped: s.skipped, pending,
    pages_per_s: Math.round(rate * 100) / 100,
    eta_s: eta,
    elapsed_s: Math.round(elapsedMs / 100) / 10,
  };
}

const num = new Intl.NumberFormat('en-US');

/** m:ss under an hour, h:mm:ss above, "--" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const t = Math.max(0, Math.round(seconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Pure: one human line. unchanged/skipped appear only when non-zero (re-crawls). */
export function formatProgress(f: ProgressFigures): string {
  const n = (x: number): string => num.format(x);
  const parts = [`discovered ${n(f.discovered)}`, `fetched ${n(f.fetched)}`, `exported ${n(f.exported)}`, `rejected ${n(f.rejected)}`];
  if (f.unchanged > 0) parts.push(`unchanged ${n(f.unchanged)}`);
  if (f.skipped > 0) parts.push(`skipped ${n(f.skipped)}`);
  parts.push(`${f.pages_per_s.toFixed(1)} pages/s`, `ETA ${formatDuration(f.eta_s)}`);
  return parts.join(' · ');
}

const BAR_SIZE = 20;
/** "[" + the bar + "] " before the figures. */
const BAR_CHARS = BAR_SIZE + 3;

/** Pure: `text` cut to `width` characters, ending in "…" when cut (at least a few characters are kept). */
export function fitWidth(text: string, width: number): string {
  const w = Math.max(8, width);
  return text.length <= w ? text : `${text.slice(0, w - 1)}…`;
}

/** What a run reports to. `write` is a log destination that keeps the display intact. */
export interface ProgressReporter {
  start(read: () => ProgressSnapshot): void;
  stop(): void;
  write(chunk: string): void;
}

/** TTY mode: a cli-progress bar on `stream`, fed from the reader on every redraw. */
export function createTerminalProgress(
  stream: NodeJS.WriteStream,
  opts: { fps?: number; now?: () => number } = {},
): ProgressReporter {
  const now = opts.now ?? Date.now;
  let multi: cliProgress.MultiBar | null = null;
  let bar: cliProgress.SingleBar | null = null;
  let read: (() => ProgressSnapshot) | null = null;
  let t0 = 0;

  const refresh = (): void => {
    if (!bar || !read) return;
    const s = read();
    bar.setTotal(s.discovered);
    bar.update(settledOf(s), { figures: figuresFor(s, now() - t0) });
  };
  // The whole line fits the terminal (re-read each redraw: a resize applies at once); a
  // wrapped line would be redrawn one row lower each time and fill the screen.
  const figuresFor = (s: ProgressSnapshot, elapsedMs: number): string =>
    fitWidth(formatProgress(describeProgress(s, elapsedMs)), (stream.columns || 80) - BAR_CHARS - 1);
  // MultiBar's redraw timer is a plain setTimeout; unref it so a run that
  // forgets stop() (crash path) is not kept alive by the display.
  const unrefTimer = (): void => {
    (multi as unknown as { timer?: { unref?: () => void } | null } | null)?.timer?.unref?.();
  };

  return {
    start(reader) {
      if (multi) return;
      read = reader;
      t0 = now();
      multi = new cliProgress.MultiBar({
        stream,
        fps: opts.fps ?? 4,
        format: '[{bar}] {figures}',
        barsize: BAR_SIZE,
        emptyOnZero: true,
        // linewrap true: the bar is trimmed to the width, and log lines wrap
        // normally (false would switch terminal auto-wrap off and cut them).
        linewrap: true,
        // No SIGINT hook: it would swallow Ctrl-C; nothing to restore anyway.
        gracefulExit: false,
      });
      multi.on('update-pre', refresh);
      multi.on('update-post', unrefTimer);
      const s = reader();
      bar = multi.create(s.discovered, settledOf(s), { figures: figuresFor(s, 0) });
      unrefTimer();
    },
    stop() {
      if (!multi) return;
      // update() flushes buffered log lines and draws the final figures;
      // MultiBar.stop() alone would drop the log buffer.
      multi.update();
      multi.stop();
      multi.removeAllListeners();
      multi = bar = read = null;
    },
    write(chunk) {
      // A line without its newline would leave the bar drawn after it.
      const line = chunk.endsWith('\n') ? chunk : `${chunk}\n`;
      if (multi) multi.log(line);
      else stream.write(chunk);
    },
  };
}

/** Lines mode: every intervalMs, log.info({ progress: figures }, 'progress'). */
export function createStatsLines(
  log: () => Logger,
  opts: { intervalMs: number; now?: () => number; stream?: NodeJS.WritableStream },
): ProgressReporter {
  const now = opts.now ?? Date.now;
  const stream = opts.stream ?? process.stderr;
  let timer: NodeJS.Timeout | null = null;
  return {
    start(read) {
      if (timer) return;
      const t0 = now();
      timer = setInterval(() => {
        log().info({ progress: describeProgress(read(), now() - t0) }, 'progress');
      }, opts.intervalMs);
      timer.unref();
    },
    // No final line here: the caller logs the run summary.
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    write: (chunk) => void stream.write(chunk),
  };
}

/** Off: start/stop do nothing; write passes to the stream. */
export function createSilentProgress(stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  return { start() {}, stop() {}, write: (chunk) => void stream.write(chunk) };
}

/**
 * The reporter's `write` as a real Writable, for sinks that need a stream
 * (pino-pretty pipes into its destination and fails on a bare { write }).
 */
export function reporterStream(r: ProgressReporter): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _enc, cb) {
      r.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      cb();
    },
  });
}
