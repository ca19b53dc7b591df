/** `newsclean state stats` as aligned plain text (the figures: admin-stats.ts). */
import type { StateStats } from './admin-stats.js';

const int = (n: number): string => n.toLocaleString('en-US');

function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Two columns, the labels padded to the widest one. */
function table(rows: [string, string][], indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  const valueWidth = Math.max(0, ...rows.map(([, v]) => v.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v.padStart(valueWidth)}`.trimEnd());
}

const oneLine = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)}`)
      .join(' ');
  }
  return String(v);
};

/** `newsclean state stats` for humans: aligned plain-text lines, no colours. */
export function formatStats(s: StateStats): string {
  const out: string[] = [];
  out.push(`schema version ${s.schemaVersion}`);
  const perUrl = s.urls.total > 0 && s.fileBytes > 0 ? `, ${int(Math.round(s.fileBytes / s.urls.total))} per URL` : '';
  out.push(
    s.fileBytes === 0 && s.walBytes === 0
      ? 'database in memory (or empty)'
      : `database ${humanBytes(s.fileBytes)} (${int(s.fileBytes)} bytes${perUrl}), wal file ${humanBytes(s.walBytes)}, free ${humanBytes(s.freeBytes)}`,
  );
  out.push('');
  out.push(`urls ${int(s.urls.total)}`);
  out.push(
    ...table([
      ...Object.entries(s.urls.byStatus).map(([k, v]): [string, string] => [k, int(v)]),
      ['due for retry now', int(s.urls.dueForRetry)],
      ['waiting for retry', int(s.urls.waitingForRetry)],
      ['changed (version > 1)', int(s.urls.changed)],
      ['extra versions', int(s.urls.extraVersions)],
    ]),
  );
  if (s.urls.byCode.length > 0) {
    out.push('');
    out.push('not exported, by last code');
    const w = Math.max(...s.urls.byCode.map((c) => c.status.length));
    out.push(...table(s.urls.byCode.map((c): [string, string] => [`${c.status.padEnd(w)}  ${c.code ?? '-'}`, int(c.urls)])));
  }
  if (s.urls.bySite.length > 0) {
    out.push('');
    out.push(`sites (top ${s.urls.bySite.length}${s.urls.otherSites > 0 ? `, ${int(s.urls.otherSites)} more` : ''})`);
    const rows = [['site', 'urls', 'exported'] as const, ...s.urls.bySite.map((x) => [x.site ?? '(none)', int(x.urls), int(x.exported)] as const)];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    const w2 = Math.max(...rows.map((r) => r[2].length));
    for (const [a, b, c] of rows) out.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(w2)}`);
  }
  out.push('');
  out.push(`contents ${int(s.contents)}`);
  out.push(`clusters`);
  out.push(
    ...table([
      ['articles', int(s.clusters.articles)],
      ['clusters', int(s.clusters.clusters)],
      ['with near-duplicates', int(s.clusters.multiMember)],
      ['articles in those', int(s.clusters.inMultiMember)],
    ]),
  );
  out.push('');
  out.push(`runs ${int(s.runs.total)}`);
  out.push(...table(Object.entries(s.runs.byStatus).map(([k, v]): [string, string] => [k, int(v)])));
  if (s.runs.last.length > 0) {
    out.push('');
    out.push(`last ${s.runs.last.length} runs`);
    const w = {
      id: Math.max(...s.runs.last.map((r) => r.runId.length)),
      cmd: Math.max(...s.runs.last.map((r) => r.command.length)),
      st: Math.max(...s.runs.last.map((r) => r.status.length)),
    };
    for (const r of s.runs.last) {
      out.push(
        `  ${r.runId.padEnd(w.id)}  ${r.command.padEnd(w.cmd)}  ${r.status.padEnd(w.st)}  ${r.startedAt}  ${(r.endedAt ?? '-').padEnd(24)}  ${oneLine(r.summary)}`.trimEnd(),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
