/**
 * What a run reports at its end (printed, kept in the manifest, exported as
 * metrics in schedule mode), and the verdict cron acts on: the failure rate
 * against run.maxFailureRate.
 */
import type { HostStats } from '../crawl/index.js';

export interface SummaryInput {
  status: 'done' | 'interrupted';
  seconds: number;
  counts: { articles: number; rejects: number; unchanged: number; fetched: number; [k: string]: number };
  rejectsByCode: Record<string, number>;
  bytes: number;
  hosts: Record<string, HostStats>;
  /** Fetch times of pages (ms), any order. */
  fetchMs: number[];
}

export interface RunReport {
  status: 'done' | 'interrupted';
  duration_s: number;
  pages_per_s: number;
  bytes: number;
  /** Rejects not in run.ignoreCodes over articles + rejects (0 when nothing settled). */
  failure_rate: number;
  fetch_ms: { p50: number; p95: number; max: number } | null;
  by_code: Record<string, number>;
  by_host: Record<string, HostStats>;
}

/**
 * The share of what the run had to do that failed: rejects whose code is not
 * the pages' nature or policy (run.ignoreCodes), over articles, rejects and
 * the pages the run rightly did not export again (unchanged on revisit,
 * already known from earlier runs, skipped past --max-articles). A run with
 * nothing new fails nothing; one dead link among many known pages is a small
 * share, not 100 %. URLs deferred to a later retry count on neither side.
 */
export function failureRate(
  counts: { articles: number; rejects: number; unchanged?: number; known?: number; skipped?: number },
  byCode: Record<string, number>,
  ignoreCodes: readonly string[],
): number {
  const settled = counts.articles + counts.rejects + (counts.unchanged ?? 0) + (counts.known ?? 0) + (counts.skipped ?? 0);
  if (settled === 0) return 0;
  let failed = 0;
  for (const [code, n] of Object.entries(byCode)) if (!ignoreCodes.includes(code)) failed += n;
  return failed / settled;
}

/** Nearest-rank percentile of an unsorted list. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

export function buildReport(input: SummaryInput, ignoreCodes: readonly string[]): RunReport {
  const sorted = [...input.fetchMs].sort((a, b) => a - b);
  const pages = input.counts.articles + input.counts.rejects + input.counts.unchanged;
  // Busiest hosts first: the ones a reader looks for.
  const byHost = Object.fromEntries(Object.entries(input.hosts).sort(([, a], [, b]) => b.fetched - a.fetched));
  return {
    status: input.status,
    duration_s: round(input.seconds, 3),
    pages_per_s: input.seconds > 0 ? round(pages / input.seconds, 2) : 0,
    bytes: input.bytes,
    failure_rate: round(failureRate(input.counts, input.rejectsByCode, ignoreCodes), 4),
    fetch_ms: sorted.length ? { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), max: Math.round(sorted.at(-1)!) } : null,
    by_code: input.rejectsByCode,
    by_host: byHost,
  };
}

const MB = 1024 * 1024;
const size = (bytes: number): string => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

/** The human form, a few lines for a terminal. */
export function formatReport(r: RunReport, maxHosts = 10): string {
  const lines = [
    `  ${r.status}, ${r.duration_s.toFixed(1)} s, ${r.pages_per_s} pages/s, ${size(r.bytes)} fetched, failure rate ${(r.failure_rate * 100).toFixed(1)} %` +
      (r.fetch_ms ? `, fetch p50 ${r.fetch_ms.p50} ms / p95 ${r.fetch_ms.p95} ms` : ''),
  ];
  const codes = Object.entries(r.by_code).sort(([, a], [, b]) => b - a);
  if (codes.length) lines.push(`  rejects: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  const hosts = Object.entries(r.by_host);
  for (const [host, h] of hosts.slice(0, maxHosts)) lines.push(`  ${host}: ${h.fetched} fetched, ${h.articles} articles, ${h.rejects} rejects, ${size(h.bytes)}`);
  if (hosts.length > maxHosts) lines.push(`  … and ${hosts.length - maxHosts} more hosts (see the manifest)`);
  return `${lines.join('\n')}\n`;
}

/** Reservoir sample: a bounded, uniform sample of a stream of numbers (fetch times of a million-page run). */
export function createSample(capacity = 10_000, random = Math.random): { add(n: number): void; values: number[] } {
  const values: number[] = [];
  let seen = 0;
  return {
    values,
    add(n) {
      seen++;
      if (values.length < capacity) values.push(n);
      else {
        const i = Math.floor(random() * seen);
        if (i < capacity) values[i] = n;
      }
    },
  };
}
