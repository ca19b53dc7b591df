#!/usr/bin/env node
// clean-text on the seed dumps. Runs `newsclean clean-text` (the built CLI)
// over ../shared/seeds (five plain-text dumps of one story scraped from five
// Arabic outlets) and prints per file: lines in, paragraphs out, characters
// in/out, title, authors, and the paragraphs dropped as duplicates (counted
// by a second run with normalize.dedupeBlocks off). The cleaned texts are
// written to output/clean-text/ for reading by eye.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.NEWSCLEAN_SHARED ?? join(repo, '..', 'shared'));
const seeds = join(shared, 'seeds');
const cli = join(repo, 'dist', 'cli.js');
const outDir = join(repo, 'output', 'clean-text');

if (!existsSync(seeds)) {
  console.error(`bench:clean-text: ${seeds} not found; the seed dumps live in ../shared/seeds beside the repo (set NEWSCLEAN_SHARED to point elsewhere).`);
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error('bench:clean-text: dist/cli.js missing; run `npm run build` first.');
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'newsclean-bench-'));
const noDedupe = join(tmp, 'no-dedupe.json');
writeFileSync(noDedupe, JSON.stringify({ normalize: { dedupeBlocks: false } }));

/** Records (by file name) and rejects of one clean-text run over the seeds. */
function cleanText(extra) {
  const out = join(tmp, 'records.jsonl');
  const rej = join(tmp, 'rejects.jsonl');
  execFileSync(process.execPath, [cli, 'clean-text', seeds, '-o', out, '--rejects', rej, ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  const read = (f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { records: new Map(read(out).map((r) => [basename(r.source), r])), rejects: read(rej) };
}

const { records, rejects } = cleanText([]);
const plain = cleanText(['-c', noDedupe]).records;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const paragraphs = (r) => (r ? r.text.split('\n\n').length : 0);
const files = readdirSync(seeds).filter((f) => /\.txt(\.gz)?$/i.test(f)).sort();
console.log(`clean-text over ${relative(process.cwd(), seeds) || seeds}: ${records.size} articles, ${rejects.length} rejects\n`);
for (const f of files) {
  const raw = /\.gz$/i.test(f) ? '' : readFileSync(join(seeds, f), 'utf8');
  const lines = raw.split(/\r\n?|\n/).map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const r = records.get(f);
  const reject = rejects.find((x) => basename(x.source) === f);
  console.log(f);
  console.log(`  lines in ${lines.length}, chars in ${lines.reduce((n, l) => n + l.length, 0)}`);
  if (!r) {
    console.log(`  REJECT ${reject?.code ?? '?'}: ${reject?.message ?? ''}\n`);
    continue;
  }
  const dupes = paragraphs(plain.get(f)) - paragraphs(r);
  const path = join(outDir, f.replace(/\.gz$/i, ''));
  writeFileSync(path, `title: ${r.title ?? '-'}\nauthors: ${r.authors.join("; ") || "-"}\nsource_agency: ${r.source_agency ?? "-"}\npublished: ${r.published_at ?? '-'}\n\n${r.text}\n`);
  console.log(`  paragraphs out ${paragraphs(r)}, chars out ${r.text.length}, duplicates dropped ${dupes}`);
  console.log(`  title: ${r.title ?? '-'}`);
  console.log(`  authors: ${r.authors.join('; ') || '-'}`);
  console.log(`  source agency: ${r.source_agency ?? '-'}`);
  console.log(`  text: ${relative(process.cwd(), path)}\n`);
}
