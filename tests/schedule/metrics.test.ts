import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Registry, collectDefaultMetrics, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  METRICS,
  createSchedulerMetrics,
  rejectEntries,
  type FinishedRun,
  type SchedulerMetrics,
} from '../../src/schedule/metrics.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples of a Prometheus text exposition (label values here never hold quotes or commas). */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable sample line: ${line}`);
      const labels = Object.fromEntries(
        (m[2] ? m[2].split(',') : []).map((pair) => {
          const [k, v] = pair.split('=');
          return [k!, JSON.parse(v!) as string];
        }),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** Samples of `name` whose labels include `labels`. */
async function samples(m: SchedulerMetrics, name: string, labels: Record<string, string> = {}): Promise<Sample[]> {
  return parseSamples(await m.registry.metrics()).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The single value of `name` with exactly-matching labels, or undefined when the series is absent. */
async function value(m: SchedulerMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const found = (await samples(m, name, labels)).filter(
    (s) => Object.keys(s.labels).length === Object.keys(labels).length,
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

const run = (over: Partial<FinishedRun> = {}): FinishedRun => ({
  status: 'done',
  seconds: 42,
  endedAt: new Date('2025-03-01T12:00:00Z'),
  counts: { articles: 7, rejects: 3, fetched: 12, unchanged: 2 },
  rejectsByCode: { FETCH_FAILED: 2, NOT_AN_ARTICLE: 1 },
  bytes: 123456,
  ...over,
});

const ENDED = Date.parse('2025-03-01T12:00:00Z') / 1000;

describe('createSchedulerMetrics', () => {
  it('uses its own registry, never the global one', async () => {
    const a = createSchedulerMetrics({ defaultMetrics: false });
    const b = createSchedulerMetrics({ defaultMetrics: false });
    expect(a.registry).not.toBe(b.registry);
    expect(a.registry).not.toBe(globalRegistry);
    expect(globalRegistry.getSingleMetric('newsclean_runs_total')).toBeUndefined();
    a.runStarted('x');
    expect(await value(a, 'newsclean_run_in_progress', { site: 'x' })).toBe(1);
    expect(await value(b, 'newsclean_run_in_progress', { site: 'x' })).toBeUndefined();
  });

  it('adds prefixed default process metrics unless told not to', async () => {
    const withDefaults = await createSchedulerMetrics().registry.metrics();
    expect(withDefaults).toMatch(/^newsclean_process_cpu_seconds_total \d/m);
    expect(withDefaults).toContain('# TYPE newsclean_nodejs_eventloop_lag_seconds gauge');
    expect(withDefaults).not.toMatch(/^process_cpu/m);
    const without = await createSchedulerMetrics({ defaultMetrics: false }).registry.metrics();
    expect(without).not.toContain('newsclean_process_');
    expect(without).not.toContain('newsclean_nodejs_');
  });

  it('tracks a run from start to finish', async () => {
    const m = createSchedulerMetrics({ defaultMetrics: false });
    m.runStarted('alpha');
    expect(await value(m, 'newsclean_run_in_progress', { site: 'alpha' })).toBe(1);
    // Status series exist at 0 before the first run ends.
    expect(await value(m, 'newsclean_runs_total', { site: 'alpha', status: 'failed' })).toBe(0);

    m.runFinished('alpha', run());
    expect(await value(m, 'newsclean_run_in_progress', { site: 'alpha' })).toBe(0);
    expect(await value(m, 'newsclean_runs_total', { site: 'alpha', status: 'done' })).toBe(1);
    expect(await value(m, 'newsclean_runs_total', { site: 'alpha', status: 'failed' })).toBe(0);
    expect(await value(m, 'newsclean_articles_total', { site: 'alpha' })).toBe(7);
    expect(await value(m, 'newsclean_pages_fetched_total', { site: 'alpha' })).toBe(12);
    expect(await value(m, 'newsclean_unchanged_total', { site: 'alpha' })).toBe(2);
    expect(await value(m, 'newsclean_fetched_bytes_total', { site: 'alpha' })).toBe(123456);
    expect(await value(m, 'newsclean_rejects_total', { site: 'alpha', code: 'FETCH_FAILED' })).toBe(2);
    expect(await value(m, 'newsclean_rejects_total', { site: 'alpha', code: 'NOT_AN_ARTICLE' })).toBe(1);
    expect(await value(m, 'newsclean_rejects_total', { site: 'alpha', code: 'unknown' })).toBeUndefined();
    expect(await value(m, 'newsclean_last_run_timestamp_seconds', { site: 'alpha' })).toBe(ENDED);
    expect(await value(m, 'newsclean_last_success_timestamp_seconds', { site: 'alpha' })).toBe(ENDED);

    expect(await value(m, 'newsclean_run_duration_seconds_count', { site: 'alpha' })).toBe(1);
    expect(await value(m, 'newsclean_run_duration_seconds_sum', { site: 'alpha' })).toBe(42);
    expect(await value(m, 'newsclean_run_duration_seconds_bucket', { site: 'alpha', le: '30' })).toBe(0);
    expect(await value(m, 'newsclean_run_duration_seconds_bucket', { site: 'alpha', le: '60' })).toBe(1);
    const les = (await samples(m, 'newsclean_run_duration_seconds_bucket', { site: 'alpha' })).map((s) => s.labels.le);
    expect(les[0]).toBe('1');
    expect(les).toContain('7200');

    // Counters accumulate over runs; the histogram counts both.
    m.runStarted('alpha');
    m.runFinished('alpha', run({ status: 'error', seconds: 5000 }));
    expect(await value(m, 'newsclean_runs_total', { site: 'alpha', status: 'done' })).toBe(1);
    expect(await value(m, 'newsclean_runs_total', { site: 'alpha', status: 'error' })).toBe(1);
    expect(await value(m, 'newsclean_articles_total', { site: 'alpha' })).toBe(14);
    expect(await value(m, 'newsclean_rejects_total', { site: 'alpha', code: 'FETCH_FAILED' })).toBe(4);
    expect(await value(m, 'newsclean_run_duration_seconds_count', { site: 'alpha' })).toBe(2);
    expect(await value(m, 'newsclean_run_duration_seconds_bucket', { site: 'alpha', le: '3600' })).toBe(1);
    expect(await value(m, 'newsclean_run_duration_seconds_bucket', { site: 'alpha', le: '7200' })).toBe(2);
  });

  it('keeps sites apart', async () => {
    const m = createSchedulerMetrics({ defaultMetrics: false });
    m.runStarted('a');
    m.runStarted('b');
    m.runFinished('a', run());
    expect(await value(m, 'newsclean_run_in_progress', { site: 'a' })).toBe(0);
    expect(await value(m, 'newsclean_run_in_progress', { site: 'b' })).toBe(1);
    expect(await value(m, 'newsclean_articles_total', { site: 'b' })).toBe(0);
  });

  it('sets last_success only for status done', async () => {
    const m = createSchedulerMetrics({ defaultMetrics: false });
    for (const status of ['failed', 'interrupted', 'error'] as const) {
      m.runStarted('s');
      m.runFinished('s', run({ status }));
      expect(await value(m, 'newsclean_runs_total', { site: 's', status })).toBe(1);
    }
    expect(await value(m, 'newsclean_last_run_timestamp_seconds', { site: 's' })).toBe(ENDED);
    expect(await value(m, 'newsclean_last_success_timestamp_seconds', { site: 's' })).toBeUndefined();

    const later = new Date('2025-03-02T00:00:00Z');
    m.runFinished('s', run({ status: 'done', endedAt: later }));
    expect(await value(m, 'newsclean_last_success_timestamp_seconds', { site: 's' })).toBe(later.getTime() / 1000);

    const latest = new Date('2025-03-03T00:00:00Z');
    m.runFinished('s', run({ status: 'failed', endedAt: latest }));
    expect(await value(m, 'newsclean_last_run_timestamp_seconds', { site: 's' })).toBe(latest.getTime() / 1000);
    expect(await value(m, 'newsclean_last_success_timestamp_seconds', { site: 's' })).toBe(later.getTime() / 1000);
  });

  it('counts skips by reason', async () => {
    const m = createSchedulerMetrics({ defaultMetrics: false });
    m.runSkipped('s', 'overlap');
    m.runSkipped('s', 'overlap');
    m.runSkipped('s', 'shutting_down');
    expect(await value(m, 'newsclean_runs_skipped_total', { site: 's', reason: 'overlap' })).toBe(2);
    expect(await value(m, 'newsclean_runs_skipped_total', { site: 's', reason: 'shutting_down' })).toBe(1);
    expect(await value(m, 'newsclean_runs_skipped_total', { site: 's', reason: 'in_progress_elsewhere' })).toBe(0);
    expect(await value(m, 'newsclean_runs_total', { site: 's', status: 'done' })).toBe(0);
  });

  it('sets the next run time and removes the series for null', async () => {
    const m = createSchedulerMetrics({ defaultMetrics: false });
    m.nextRun('a', new Date('2025-03-01T13:00:00Z'));
    m.nextRun('b', new Date('2025-03-01T14:00:00Z'));
    expect(await value(m, 'newsclean_next_run_timestamp_seconds', { site: 'a' })).toBe(ENDED + 3600);
    m.nextRun('a', new Date('2025-03-01T13:30:00Z'));
    expect(await value(m, 'newsclean_next_run_timestamp_seconds', { site: 'a' })).toBe(ENDED + 5400);

    m.nextRun('a', null);
    expect(await value(m, 'newsclean_next_run_timestamp_seconds', { site: 'a' })).toBeUndefined();
    expect(await value(m, 'newsclean_next_run_timestamp_seconds', { site: 'b' })).toBe(ENDED + 7200);
    expect(await m.registry.getSingleMetricAsString('newsclean_next_run_timestamp_seconds')).not.toContain('site="a"');
    m.nextRun('never-seen', null); // removing an absent series is harmless
  });

  it('never throws on odd counts', async () => {
    const m = createSchedulerMetrics({ defaultMetrics: false });
    const odd = run({
      seconds: Number.NaN,
      bytes: -5,
      counts: { articles: Number.POSITIVE_INFINITY, rejects: 0, fetched: -1, unchanged: Number.NaN },
      rejectsByCode: { X: -2 },
    });
    expect(() => m.runFinished('s', odd)).not.toThrow();
    expect(await value(m, 'newsclean_fetched_bytes_total', { site: 's' })).toBe(0);
    expect(await value(m, 'newsclean_run_duration_seconds_count', { site: 's' })).toBe(0);
    expect(await value(m, 'newsclean_runs_total', { site: 's', status: 'done' })).toBe(1);
  });
});

describe('rejectEntries', () => {
  it('files rejects missing from the breakdown under unknown', () => {
    expect(rejectEntries({ counts: run().counts, rejectsByCode: { A: 1 } })).toEqual([
      ['A', 1],
      ['unknown', 2],
    ]);
    expect(rejectEntries({ counts: run().counts, rejectsByCode: { A: 3 } })).toEqual([['A', 3]]);
    expect(rejectEntries({ counts: { ...run().counts, rejects: 0 }, rejectsByCode: { A: 2 } })).toEqual([['A', 2]]);
  });
});

describe('docs/metrics.md', () => {
  interface DocRow {
    name: string;
    type: string;
    labels: string[];
  }

  const docRows = (): DocRow[] =>
    readFileSync(`${root}docs/metrics.md`, 'utf8')
      .split('\n')
      .map((line) => /^\|\s*`(newsclean_\w+)`\s*\|\s*(\w+)\s*\|([^|]*)\|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[1]!, type: m[2]!, labels: [...m[3]!.matchAll(/`(\w+)`/g)].map((l) => l[1]!) }));

  const typeLines = (text: string): Map<string, string> =>
    new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));

  /** Exposition after one finished run, so every series has been touched. */
  async function exposition(defaultMetrics: boolean): Promise<string> {
    const m = createSchedulerMetrics({ defaultMetrics });
    m.runStarted('s');
    m.runSkipped('s', 'overlap');
    m.runFinished('s', run());
    m.nextRun('s', new Date());
    return m.registry.metrics();
  }

  it('documents a table with the metrics', () => {
    const rows = docRows();
    expect(rows.length).toBeGreaterThanOrEqual(Object.keys(METRICS).length);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it('every documented metric is exported with the documented type and labels', async () => {
    const text = await exposition(true);
    const types = typeLines(text);
    const found = parseSamples(text);
    for (const row of docRows()) {
      expect(types.get(row.name), row.name).toBe(row.type);
      const series = found.filter((s) => s.name === row.name || s.name.startsWith(`${row.name}_`));
      expect(series.length, `${row.name} has samples`).toBeGreaterThan(0);
      for (const s of series) {
        const labels = Object.keys(s.labels).filter((l) => l !== 'le');
        expect(labels.sort(), row.name).toEqual([...row.labels].sort());
      }
    }
  });

  it('every newsclean_ metric other than default process metrics is documented', async () => {
    const defaultsOnly = new Registry();
    collectDefaultMetrics({ register: defaultsOnly, prefix: 'newsclean_' });
    const defaults = new Set(typeLines(await defaultsOnly.metrics()).keys());
    expect(defaults.size).toBeGreaterThan(5);

    const documented = new Set(docRows().map((r) => r.name));
    const ours = [...typeLines(await exposition(true)).keys()].filter((n) => !defaults.has(n));
    expect(ours.length).toBeGreaterThan(0);
    for (const name of ours) {
      expect(name.startsWith('newsclean_'), name).toBe(true);
      expect(documented.has(name), `${name} is documented`).toBe(true);
    }
    // The definition table in the code agrees too.
    expect(new Set(Object.values(METRICS).map((d) => d.name))).toEqual(documented);
    expect(new Set(typeLines(await exposition(false)).keys())).toEqual(documented);
  });
});
