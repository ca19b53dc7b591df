#!/usr/bin/env node
// Metadata benchmark. Runs `newsclean extract` (the built CLI) over
// ../shared/datasets/readability-pages and prints exact-match rates against
// expected-metadata.json, counting only cases whose expectation is non-null:
// title, byline/authors, site name, published date (day precision), language
// (primary subtag). A rejected page counts as a miss. NEWSCLEAN_BENCH_VERBOSE=1
// lists the misses.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.NEWSCLEAN_SHARED ?? join(repo, '..', 'shared'));
const readDir = join(shared, 'datasets', 'readability-pages');
const cli = join(repo, 'dist', 'cli.js');
const verbose = !!process.env.NEWSCLEAN_BENCH_VERBOSE;

if (!existsSync(readDir)) {
  console.error(`bench:metadata: ${readDir} not found; the evaluation data lives in ../shared beside the repo (set NEWSCLEAN_SHARED to point elsewhere).`);
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error('bench:metadata: dist/cli.js missing; run `npm run build` first.');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'newsclean-bench-'));
const out = join(tmp, 'records.jsonl');
const cases = readdirSync(readDir).filter((d) => existsSync(join(readDir, d, 'source.html'))).sort();
execFileSync(process.execPath, [cli, 'extract', ...cases.map((d) => join(readDir, d, 'source.html')), '-o', out, '--rejects', join(tmp, 'rejects.jsonl')], {
  stdio: ['ignore', 'ignore', 'inherit'],
  maxBuffer: 1 << 30,
});
const records = new Map(
  readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((r) => [basename(dirname(r.source)), r]),
);
rmSync(tmp, { recursive: true, force: true });

const ws = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
const lower = (s) => ws(s).toLowerCase();
/** The calendar day of an ISO value: UTC day when it carries a zone, else the literal date. */
function day(value) {
  const v = ws(value);
  if (!v) return '';
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString().slice(0, 10);
  return v.slice(0, 10);
}
const bylineForms = (authors) => (authors.length ? [authors.join(', '), authors.join(' and '), authors.join(' & '), authors.join(' ')] : []);

const fields = {
  title: { expected: (e) => e.title, match: (r, e) => ws(r.title) === ws(e) },
  byline: { expected: (e) => e.byline, match: (r, e) => bylineForms(r.authors ?? []).some((f) => lower(f) === lower(e)) },
  site_name: { expected: (e) => e.siteName, match: (r, e) => ws(r.site_name) === ws(e) },
  published: { expected: (e) => e.publishedTime, match: (r, e) => !!r.published_at && day(r.published_at) === day(e) },
  lang: { expected: (e) => e.lang, match: (r, e) => lower(r.lang).split('-')[0] === lower(e).split('-')[0] },
};
const targets = { title: 0.95, published: 0.9, lang: 0.98 };

console.log(`readability-pages: ${cases.length} pages, ${records.size} articles`);
for (const [name, f] of Object.entries(fields)) {
  let total = 0, ok = 0;
  const misses = [];
  for (const d of cases) {
    const exp = f.expected(JSON.parse(readFileSync(join(readDir, d, 'expected-metadata.json'), 'utf8')));
    if (exp === null || exp === undefined || ws(exp) === '') continue;
    total++;
    const r = records.get(d);
    if (r && f.match(r, exp)) ok++;
    else misses.push(`    ${d}: got ${JSON.stringify(r ? (name === 'byline' ? r.authors : r[{ title: 'title', site_name: 'site_name', published: 'published_at', lang: 'lang' }[name]]) : 'REJECTED')}, expected ${JSON.stringify(exp)}`);
  }
  const rate = total ? ok / total : 0;
  const target = targets[name] ? `  (target >= ${targets[name]})` : '';
  console.log(`  ${name.padEnd(10)} ${String(ok).padStart(3)}/${String(total).padEnd(3)} = ${rate.toFixed(3)}${target}`);
  if (verbose) for (const m of misses) console.log(m);
}
