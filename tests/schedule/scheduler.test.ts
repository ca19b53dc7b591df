/**
 * startScheduler under vitest fake timers. croner computes its next run from
 * `Date` and sleeps with setTimeout, so vi.advanceTimersByTimeAsync drives its
 * ticks; the first test checks that premise. runSite is a fake whose runs
 * either take a fixed time of fake time or wait for the test to settle them.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSchedulerMetrics, type SiteRunStatus, type SchedulerMetrics } from '../../src/schedule/metrics.js';
import {
  startScheduler,
  type ScheduledSite,
  type Scheduler,
  type SchedulerOptions,
  type SiteRunResult,
} from '../../src/schedule/scheduler.js';

// ---------------------------------------------------------------- helpers

/** A Monday at midnight UTC: every cron expression below lines up with it. */
const T0 = Date.parse('2025-01-06T00:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const elapsed = (): number => Date.now() - T0;

const EVERY_10S = '*/10 * * * * *';
const DAILY_6AM = '0 6 * * *';

function runResult(status: SiteRunStatus = 'done', over: Partial<SiteRunResult> = {}): SiteRunResult {
  return {
    status,
    seconds: 1,
    endedAt: new Date(),
    counts: { articles: 0, rejects: 0, fetched: 0, unchanged: 0 },
    rejectsByCode: {},
    bytes: 0,
    ...over,
  };
}

const codedError = (code: string, message = code): Error => Object.assign(new Error(message), { code });

interface Call {
  site: string;
  signal: AbortSignal;
  /** ms since T0 */
  startedAt: number;
  settled: boolean;
  resolve(result?: SiteRunResult): void;
  reject(err: unknown): void;
}

/**
 * A fake runSite. A site listed in `durations` finishes `done` after that many
 * ms of fake time; any other site's run waits for the test to settle it.
 * Tracks how many runs of each site were going at once.
 */
function fakeRunner(durations: Record<string, number> = {}) {
  const calls: Call[] = [];
  const active = new Map<string, number>();
  const maxActive = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  const runSite = vi.fn((site: string, signal: AbortSignal): Promise<SiteRunResult> => {
    const n = (active.get(site) ?? 0) + 1;
    active.set(site, n);
    maxActive.set(site, Math.max(n, maxActive.get(site) ?? 0));
    maxTotal = Math.max(++total, maxTotal);
    return new Promise<SiteRunResult>((resolve, reject) => {
      const call: Call = {
        site,
        signal,
        startedAt: elapsed(),
        settled: false,
        resolve: (result = runResult()) => settle(() => resolve(result)),
        reject: (err) => settle(() => reject(err)),
      };
      function settle(fn: () => void): void {
        if (call.settled) return;
        call.settled = true;
        active.set(site, (active.get(site) ?? 1) - 1);
        total--;
        fn();
      }
      calls.push(call);
      const ms = durations[site];
      if (ms !== undefined) setTimeout(() => call.resolve(runResult('done', { seconds: ms / 1000, endedAt: new Date() })), ms);
    });
  });
  return {
    runSite,
    calls,
    callsOf: (site: string): Call[] => calls.filter((c) => c.site === site),
    startsOf: (site: string): number[] => calls.filter((c) => c.site === site).map((c) => c.startedAt),
    maxConcurrent: (site: string): number => maxActive.get(site) ?? 0,
    /** Most runs going at once, all sites together. */
    maxConcurrentAll: (): number => maxTotal,
    /** The run of `site` still going (there is at most one). */
    current: (site: string): Call => {
      const call = calls.find((c) => c.site === site && !c.settled);
      if (!call) throw new Error(`no run of ${site} is going`);
      return call;
    },
  };
}

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino logger writing parsed lines into an array. */
function memoryLogger() {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { log, lines };
}

/** Value of the series of `name` whose labels include `labels`; undefined if there is none. */
async function metric(m: SchedulerMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const all = await m.registry.getMetricsAsJSON();
  const found = all.find((x) => x.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  const series = found.values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  if (series.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${series.length} series`);
  return series[0]?.value;
}

const skipped = (m: SchedulerMetrics, site: string, reason: string) => metric(m, 'newsclean_runs_skipped_total', { site, reason });
const runs = (m: SchedulerMetrics, site: string, status: SiteRunStatus) => metric(m, 'newsclean_runs_total', { site, status });
const inProgress = (m: SchedulerMetrics, site: string) => metric(m, 'newsclean_run_in_progress', { site });
const nextRunGauge = (m: SchedulerMetrics, site: string) => metric(m, 'newsclean_next_run_timestamp_seconds', { site });

/** Let settled promises run their callbacks without moving the clock. */
const flush = () => vi.advanceTimersByTimeAsync(0);

// Schedulers and runners a test started, stopped after it whatever happened.
const cleanups: (() => Promise<void>)[] = [];

function setup(
  sites: ScheduledSite[],
  opts: Partial<Omit<SchedulerOptions, 'sites' | 'runSite' | 'log' | 'metrics'>> & { durations?: Record<string, number> } = {},
) {
  const { durations, ...rest } = opts;
  const runner = fakeRunner(durations);
  const { log, lines } = memoryLogger();
  const metrics = createSchedulerMetrics({ defaultMetrics: false });
  const scheduler: Scheduler = startScheduler({ sites, runSite: runner.runSite, log, metrics, maxConcurrentRuns: 10, ...rest });
  cleanups.push(async () => {
    const stopped = scheduler.stop();
    for (const c of runner.calls) c.resolve(runResult('interrupted'));
    await stopped;
  });
  return { scheduler, runner, metrics, lines };
}

const site = (name: string, cron = EVERY_10S): ScheduledSite => ({ name, cron });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

// ---------------------------------------------------------------- ticks

describe('ticks', () => {
  it('croner ticks under fake timers: a site with quick runs runs at every tick', async () => {
    const { runner, scheduler } = setup([site('a')], { durations: { a: 1_000 } });
    expect(scheduler.status()[0]!.next_run).toBe(at(10_000));

    await vi.advanceTimersByTimeAsync(9_999);
    expect(runner.runSite).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(60_001 - 9_999);
    expect(runner.startsOf('a')).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
  });

  it('passes the site name and an AbortSignal that is not aborted', async () => {
    const { runner } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runner.runSite).toHaveBeenCalledTimes(1);
    expect(runner.runSite.mock.calls[0]![0]).toBe('a');
    expect(runner.calls[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(runner.calls[0]!.signal.aborted).toBe(false);
  });

  it('does not run anything before the first tick unless runOnStart', async () => {
    const { runner } = setup([site('a', DAILY_6AM), site('b', DAILY_6AM)]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runner.runSite).not.toHaveBeenCalled();
  });

  it('runOnStart runs every site at once, then on schedule', async () => {
    const { runner } = setup([site('a', EVERY_10S), site('b', DAILY_6AM)], { runOnStart: true, durations: { a: 1_000, b: 1_000 } });
    // Started synchronously by startScheduler, at T0.
    expect(runner.calls.map((c) => [c.site, c.startedAt])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runner.startsOf('a')).toEqual([0, 10_000, 20_000]);
    expect(runner.startsOf('b')).toEqual([0]);
  });

  it('runOnStart with one slot: the second site waits for the first, it is not skipped', async () => {
    const { runner, metrics } = setup([site('a', DAILY_6AM), site('b', DAILY_6AM)], { runOnStart: true, maxConcurrentRuns: 1 });
    expect(runner.calls.map((c) => c.site)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(3_000);
    runner.current('a').resolve();
    await flush();
    expect(runner.calls.map((c) => [c.site, c.startedAt])).toEqual([
      ['a', 0],
      ['b', 3_000],
    ]);
    expect(await skipped(metrics, 'b', 'overlap')).toBe(0);
  });

  it('trigger() starts a run now', async () => {
    const { runner, scheduler } = setup([site('a', DAILY_6AM)]);
    await vi.advanceTimersByTimeAsync(1_234);
    scheduler.trigger('a');
    expect(runner.startsOf('a')).toEqual([1_234]);
  });
});

// ---------------------------------------------------------------- overlap

describe('overlapping ticks', () => {
  it('never runs a site twice at once: ticks during a 25 s run are skipped, the next tick after it ends starts a run', async () => {
    const { runner, metrics } = setup([site('a')], { durations: { a: 25_000 } });
    await vi.advanceTimersByTimeAsync(60_000);

    // Ticks at 10..60 s: run 1 takes 10-35 s (20, 30 skipped), run 2 starts at 40 s (50, 60 skipped).
    expect(runner.startsOf('a')).toEqual([10_000, 40_000]);
    expect(runner.maxConcurrent('a')).toBe(1);
    expect(await skipped(metrics, 'a', 'overlap')).toBe(4);
    expect(await runs(metrics, 'a', 'done')).toBe(1);
    expect(await inProgress(metrics, 'a')).toBe(1);
  });

  it('a skipped tick is a warning naming the site, and not a queued run', async () => {
    const { runner, lines } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(30_000); // run starts at 10 s; 20 s and 30 s are skipped
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ site: 'a', stage: 'schedule', msg: 'previous run still going: this tick is skipped' });

    runner.current('a').resolve();
    await vi.advanceTimersByTimeAsync(9_999); // until just before the 40 s tick
    expect(runner.startsOf('a')).toEqual([10_000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runner.startsOf('a')).toEqual([10_000, 40_000]);
  });

  it('two sites are independent: a long run of A does not block the ticks of B', async () => {
    const { runner, metrics } = setup([site('a'), site('b')], { maxConcurrentRuns: 2, durations: { a: 55_000, b: 2_000 } });
    await vi.advanceTimersByTimeAsync(60_000);

    expect(runner.startsOf('a')).toEqual([10_000]);
    expect(runner.startsOf('b')).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(await skipped(metrics, 'a', 'overlap')).toBe(5); // 20..60 s
    expect(await skipped(metrics, 'b', 'overlap')).toBe(0);
    expect(await runs(metrics, 'b', 'done')).toBe(5); // the 60 s run is still going
  });
});

// ---------------------------------------------------------------- maxConcurrentRuns

describe('maxConcurrentRuns', () => {
  it('with one slot and two sites due at the same tick, the second waits and starts when the first ends', async () => {
    const { runner, metrics, scheduler } = setup([site('a', '*/30 * * * * *'), site('b', '*/30 * * * * *')], { maxConcurrentRuns: 1 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runner.calls.map((c) => c.site)).toEqual(['a']);
    expect(scheduler.status().map((s) => [s.name, s.running, s.waiting])).toEqual([
      ['a', true, false],
      ['b', false, true],
    ]);

    await vi.advanceTimersByTimeAsync(5_000);
    runner.current('a').resolve();
    await flush();

    expect(runner.calls.map((c) => [c.site, c.startedAt])).toEqual([
      ['a', 30_000],
      ['b', 35_000],
    ]);
    expect(runner.maxConcurrentAll()).toBe(1);
    expect(await inProgress(metrics, 'a')).toBe(0);
    expect(await inProgress(metrics, 'b')).toBe(1);
    expect(await skipped(metrics, 'b', 'overlap')).toBe(0);
  });

  it('logs that a site waits for a slot, with the sites holding the slots', async () => {
    const { lines } = setup([site('a'), site('b')], { maxConcurrentRuns: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lines.filter((l) => l.msg === 'every run slot is taken: waiting for one')).toEqual([
      expect.objectContaining({ site: 'b', running: ['a'] }),
    ]);
  });

  it('a site already waiting is not queued twice: its later ticks are skipped as overlap and it runs once', async () => {
    const { runner, metrics } = setup([site('a'), site('b')], { maxConcurrentRuns: 1 });
    await vi.advanceTimersByTimeAsync(30_000); // a runs from 10 s; b waits from 10 s; 20 s and 30 s ticks skip both
    expect(await skipped(metrics, 'b', 'overlap')).toBe(2);
    expect(await skipped(metrics, 'a', 'overlap')).toBe(2);

    await vi.advanceTimersByTimeAsync(5_000);
    runner.current('a').resolve();
    await flush();
    expect(runner.startsOf('b')).toEqual([35_000]);

    runner.current('b').resolve();
    await vi.advanceTimersByTimeAsync(4_999); // up to just before the 40 s tick: nothing else starts
    expect(runner.calls.map((c) => c.site)).toEqual(['a', 'b']);
  });

  it('a freed slot goes to the longest-waiting site', async () => {
    const { runner, scheduler } = setup([site('a', DAILY_6AM), site('b', DAILY_6AM), site('c', DAILY_6AM)], { maxConcurrentRuns: 1 });
    scheduler.trigger('a');
    scheduler.trigger('c');
    scheduler.trigger('b');
    runner.current('a').resolve();
    await flush();
    expect(runner.calls.map((c) => c.site)).toEqual(['a', 'c']);
    runner.current('c').resolve();
    await flush();
    expect(runner.calls.map((c) => c.site)).toEqual(['a', 'c', 'b']);
  });

  it('with two slots, three sites due at once run two at a time', async () => {
    const { runner } = setup([site('a'), site('b'), site('c')], { maxConcurrentRuns: 2, durations: { a: 3_000, b: 5_000, c: 3_000 } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runner.calls.map((c) => c.site)).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(3_000); // a ends at 13 s: c takes its slot
    expect(runner.calls.map((c) => [c.site, c.startedAt])).toEqual([
      ['a', 10_000],
      ['b', 10_000],
      ['c', 13_000],
    ]);
    expect(runner.maxConcurrentAll()).toBe(2);
  });
});

// ---------------------------------------------------------------- status()

describe('status()', () => {
  it('before any tick: every site idle, next_run its first tick, no last_run', () => {
    const { scheduler } = setup([site('a'), site('b', DAILY_6AM)], { timezone: 'UTC' });
    expect(scheduler.status()).toEqual([
      { name: 'a', cron: EVERY_10S, running: false, waiting: false, next_run: at(10_000), last_run: null },
      { name: 'b', cron: DAILY_6AM, running: false, waiting: false, next_run: at(6 * 3600_000), last_run: null },
    ]);
  });

  it('next_run moves on with each tick, also while a run is going', async () => {
    const { scheduler } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scheduler.status()[0]).toMatchObject({ running: true, next_run: at(20_000) });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(scheduler.status()[0]).toMatchObject({ running: true, next_run: at(30_000) });
  });

  it('the next_run gauge moves on with each tick: one that starts a run, one that is skipped, one that waits', async () => {
    const { runner, metrics } = setup([site('a'), site('b')], { maxConcurrentRuns: 1 });
    expect(await nextRunGauge(metrics, 'a')).toBe((T0 + 10_000) / 1000);
    await vi.advanceTimersByTimeAsync(10_000); // a starts, b waits
    expect(await nextRunGauge(metrics, 'a')).toBe((T0 + 20_000) / 1000);
    expect(await nextRunGauge(metrics, 'b')).toBe((T0 + 20_000) / 1000);
    await vi.advanceTimersByTimeAsync(10_000); // both skipped
    expect(await nextRunGauge(metrics, 'a')).toBe((T0 + 30_000) / 1000);
    expect(await nextRunGauge(metrics, 'b')).toBe((T0 + 30_000) / 1000);
    runner.current('a').resolve();
    await flush();
    expect(await nextRunGauge(metrics, 'a')).toBe((T0 + 30_000) / 1000);
  });

  it('last_run holds the last finished run: status, end, counts and seconds', async () => {
    const { scheduler, runner } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(13_000);
    runner.current('a').resolve(
      runResult('done', {
        seconds: 3.5,
        endedAt: new Date(T0 + 13_000),
        counts: { articles: 7, rejects: 2, fetched: 12, unchanged: 3 },
        rejectsByCode: { TOO_SHORT: 2 },
      }),
    );
    await flush();
    expect(scheduler.status()[0]).toEqual({
      name: 'a',
      cron: EVERY_10S,
      running: false,
      waiting: false,
      next_run: at(20_000),
      last_run: { status: 'done', ended_at: at(13_000), articles: 7, rejects: 2, seconds: 3.5 },
    });

    await vi.advanceTimersByTimeAsync(7_000);
    expect(scheduler.status()[0]).toMatchObject({ running: true, last_run: { ended_at: at(13_000) } });
    runner.current('a').resolve(runResult('failed', { endedAt: new Date(T0 + 21_000) }));
    await flush();
    expect(scheduler.status()[0]!.last_run).toMatchObject({ status: 'failed', ended_at: at(21_000) });
  });
});

// ---------------------------------------------------------------- outcomes

describe('run outcomes', () => {
  it('RUN_IN_PROGRESS from runSite is a skip (in_progress_elsewhere), not a finished run', async () => {
    const { scheduler, runner, metrics, lines } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await inProgress(metrics, 'a')).toBe(1);

    runner.current('a').reject(codedError('RUN_IN_PROGRESS', 'site a is being crawled by another process'));
    await flush();

    expect(await skipped(metrics, 'a', 'in_progress_elsewhere')).toBe(1);
    expect(await skipped(metrics, 'a', 'overlap')).toBe(0);
    expect(await inProgress(metrics, 'a')).toBe(0);
    for (const status of ['done', 'failed', 'interrupted', 'error'] as const) expect(await runs(metrics, 'a', status)).toBe(0);
    expect(scheduler.status()[0]).toMatchObject({ running: false, last_run: null });
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({ site: 'a', code: 'RUN_IN_PROGRESS', msg: 'site a is being crawled by another process' }),
    ]);
  });

  it('a site skipped as in_progress_elsewhere runs again at its next tick', async () => {
    const { runner } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    runner.current('a').reject(codedError('RUN_IN_PROGRESS'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runner.startsOf('a')).toEqual([10_000, 20_000]);
  });

  it('any other rejection finishes the run with status error, timed in fake time', async () => {
    const { scheduler, runner, metrics, lines } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.advanceTimersByTimeAsync(4_000);
    runner.current('a').reject(new Error('boom'));
    await flush();

    expect(await runs(metrics, 'a', 'error')).toBe(1);
    expect(await runs(metrics, 'a', 'done')).toBe(0);
    expect(await skipped(metrics, 'a', 'in_progress_elsewhere')).toBe(0);
    expect(await inProgress(metrics, 'a')).toBe(0);
    expect(scheduler.status()[0]!.last_run).toEqual({ status: 'error', ended_at: at(14_000), articles: 0, rejects: 0, seconds: 4 });
    expect(lines.filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({ site: 'a', code: 'INTERNAL', msg: 'run failed to complete', err: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });

  it('an error with another code is logged with that code', async () => {
    const { runner, metrics, lines } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    runner.current('a').reject(codedError('STATE_LOCKED'));
    await flush();
    expect(await runs(metrics, 'a', 'error')).toBe(1);
    expect(lines.find((l) => l.level === 50)).toMatchObject({ code: 'STATE_LOCKED' });
  });

  it('a resolved result with status failed counts as failed', async () => {
    const { runner, metrics } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    runner.current('a').resolve(runResult('failed'));
    await flush();
    expect(await runs(metrics, 'a', 'failed')).toBe(1);
    expect(await runs(metrics, 'a', 'done')).toBe(0);
    expect(await runs(metrics, 'a', 'error')).toBe(0);
  });

  it('a finished run is logged with its run id, status, counts and summary', async () => {
    const { runner, lines } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    const counts = { articles: 4, rejects: 1, fetched: 6, unchanged: 1 };
    runner.current('a').resolve(runResult('done', { runId: 'r-42', counts, summary: { pages: 6 } }));
    await flush();
    expect(lines.find((l) => l.msg === 'run summary')).toMatchObject({ site: 'a', run_id: 'r-42', status: 'done', counts, summary: { pages: 6 } });
  });

  it('metrics are optional', async () => {
    const runner = fakeRunner({ a: 1_000 });
    const scheduler = startScheduler({ sites: [site('a')], runSite: runner.runSite, log: pino({ level: 'silent' }), maxConcurrentRuns: 1 });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(runner.startsOf('a')).toEqual([10_000, 20_000]);
    await scheduler.stop();
  });
});

// ---------------------------------------------------------------- stop()

describe('stop()', () => {
  it('aborts the signal given to the running run and resolves only once that run has settled', async () => {
    const { scheduler, runner } = setup([site('a')]);
    await vi.advanceTimersByTimeAsync(10_000);
    const run = runner.current('a');

    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    expect(run.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(stopped).toBe(false);

    run.resolve(runResult('interrupted'));
    await stopping;
    expect(stopped).toBe(true);
  });

  it('resolves at once when nothing is running', async () => {
    const { scheduler } = setup([site('a')]);
    let stopped = false;
    void scheduler.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(stopped).toBe(true);
  });

  it('starts no run after it: the cron jobs stop and waiting sites are dropped', async () => {
    const { scheduler, runner } = setup([site('a'), site('b')], { maxConcurrentRuns: 1 });
    await vi.advanceTimersByTimeAsync(10_000); // a runs, b waits
    const stopping = scheduler.stop();
    expect(scheduler.status().map((s) => [s.name, s.running, s.waiting])).toEqual([
      ['a', true, false],
      ['b', false, false],
    ]);
    runner.current('a').resolve(runResult('interrupted'));
    await stopping;

    await vi.advanceTimersByTimeAsync(120_000);
    expect(runner.calls.map((c) => c.site)).toEqual(['a']);
    expect(scheduler.status().map((s) => [s.running, s.waiting, s.next_run])).toEqual([
      [false, false, null],
      [false, false, null],
    ]);
  });

  it('a trigger after stop is skipped as shutting_down', async () => {
    const { scheduler, runner, metrics } = setup([site('a')]);
    await scheduler.stop();
    scheduler.trigger('a');
    expect(runner.runSite).not.toHaveBeenCalled();
    expect(await skipped(metrics, 'a', 'shutting_down')).toBe(1);
  });

  it('removes the next_run series, also of a site whose run ends after stop', async () => {
    const { scheduler, runner, metrics } = setup([site('a'), site('b')]);
    await vi.advanceTimersByTimeAsync(10_000);
    runner.current('b').resolve();
    await flush();
    expect(await nextRunGauge(metrics, 'a')).toBe((T0 + 20_000) / 1000);
    expect(await nextRunGauge(metrics, 'b')).toBe((T0 + 20_000) / 1000);

    const stopping = scheduler.stop();
    expect(await nextRunGauge(metrics, 'a')).toBeUndefined();
    expect(await nextRunGauge(metrics, 'b')).toBeUndefined();
    runner.current('a').resolve(runResult('interrupted'));
    await stopping;
    expect(await nextRunGauge(metrics, 'a')).toBeUndefined();
    expect(await runs(metrics, 'a', 'interrupted')).toBe(1);
  });
});

// ---------------------------------------------------------------- timezone

describe('timezone', () => {
  it('reads the cron expression in the given zone: 06:00 in Riyadh is 03:00Z', async () => {
    const { scheduler, metrics, runner } = setup([site('a', DAILY_6AM)], { timezone: 'Asia/Riyadh' });
    expect(scheduler.status()[0]!.next_run).toBe('2025-01-06T03:00:00.000Z');
    expect(await nextRunGauge(metrics, 'a')).toBe(Date.parse('2025-01-06T03:00:00.000Z') / 1000);

    await vi.advanceTimersByTimeAsync(3 * 3600_000 - 1);
    expect(runner.runSite).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(runner.startsOf('a')).toEqual([3 * 3600_000]);
  });

  it('UTC reads the same expression as 06:00Z', () => {
    const { scheduler } = setup([site('a', DAILY_6AM)], { timezone: 'UTC' });
    expect(scheduler.status()[0]!.next_run).toBe('2025-01-06T06:00:00.000Z');
  });
});
