/**
 * `newsclean crawl` against a state store it cannot use: read-only, a disk
 * that fills up mid-run (a small tmpfs, where the machine lets us mount one),
 * a 0-byte file, a store deleted or replaced under the run. Each ends with exit 4 and one STATE_UNAVAILABLE line naming
 * the store, never exit 70 and a stack trace; after the disk is freed the
 * next run resumes and every article comes out exactly once.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../src/state/store.js';
import { type NewsSite, articlePage, startNewsSite } from './helpers/news-site.js';
import { CLI, ROOT, runCli } from './helpers/run-cli.js';
import { makeReadOnly } from './helpers/state-faults.js';

const PAGES = 40;
const paragraphs = (n: number): string[] =>
  [0, 1, 2, 3].map((i) => `Story ${n} part ${i}: the council met on day ${n * 7 + i} to discuss the harbour works, and officials said the railway plan would be ready within ${n + i + 2} months, while residents asked about costs and the timetable of item ${n}-${i}.`);

let site: NewsSite;
let dir: string;
beforeAll(async () => {
  site = await startNewsSite();
  for (let n = 1; n <= PAGES; n++) site.pages.set(`/news/story-${n}.html`, articlePage(`Story number ${n}`, paragraphs(n)));
  dir = mkdtempSync(join(tmpdir(), 'nc-state-faults-e2e-'));
  writeFileSync(join(dir, 'sources.yaml'), `defaults: { per_host: { concurrency: 2, delay_ms: 0 } }\nsites:\n  - name: news\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

const crawl = (state: string, out: string) =>
  runCli(['crawl', '-c', join(dir, 'sources.yaml'), '--allow-private-networks', '--threads', '0', '--state', state, '--output-dir', out]);

/** The one line main() writes for a coded error, and no sign of an internal error. */
function expectStateUnavailable(r: { code: number | null; stderr: string }, path: string, what: RegExp): void {
  expect(r.code, r.stderr).toBe(4);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('newsclean: '));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`newsclean: STATE_UNAVAILABLE: state store ${path}`);
  expect(lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/internal error|SqliteError|\n\s+at /);
}

function recordIds(out: string): string[] {
  const ids: string[] = [];
  if (!existsSync(out)) return ids;
  for (const day of readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(out, day.name)).filter((x) => x.endsWith('.jsonl') && !x.includes('.rejects.'))) {
      for (const line of readFileSync(join(out, day.name, f), 'utf8').split('\n').filter(Boolean)) ids.push((JSON.parse(line) as { id: string }).id);
    }
  }
  return ids;
}

describe('crawl with a state store it cannot use', () => {
  it('a read-only store: exit 4, one line naming it', async () => {
    const state = join(dir, 'ro', 'state.db');
    mkdirSync(join(dir, 'ro'));
    openState(state).close();
    const restore = makeReadOnly(state);
    if (!restore) return; // root without chattr: the file cannot be made read-only here
    try {
      const r = await crawl(state, join(dir, 'ro-out'));
      expectStateUnavailable(r, state, /read-only.*SQLITE_READONLY/);
    } finally {
      restore();
    }
  }, 30_000);

  it('a 0-byte store: exit 4, the file left alone', async () => {
    const state = join(dir, 'zero.db');
    writeFileSync(state, '');
    const r = await crawl(state, join(dir, 'zero-out'));
    expectStateUnavailable(r, state, /empty \(0-byte\) file.*delete it to start afresh/);
    expect(readFileSync(state).length).toBe(0);
  }, 30_000);
});

/** A small tmpfs at `mnt`, or null where mounting is not allowed (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(mnt: string, bytes: number): (() => void) | null {
  mkdirSync(mnt, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return () => execFileSync('umount', ['-l', mnt], { stdio: 'ignore' });
}

describe('crawl when the disk under the store fills up mid-run', () => {
  it('ends with exit 4 naming the store; with space freed, the next run resumes and every article comes out once', async () => {
    const mnt = join(dir, 'small-disk');
    const unmount = mountTmpfs(mnt, 16 * 1024 * 1024); // roomy once the filler goes: the WAL grows to ~4 MiB before a checkpoint
    if (!unmount) return; // cannot mount here: the unit tests simulate SQLITE_FULL instead
    try {
      const state = join(mnt, 'state.db');
      const out = join(dir, 'full-out');
      openState(state).close(); // a store at the latest schema
      // Leave the store room for its first few commits only (each writes a few 4 KiB WAL frames): 256 KiB is a handful of articles.
      const { bavail, bsize } = statfsSync(mnt);
      const filler = join(mnt, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 256 * 1024)));

      const first = await crawl(state, out);
      expectStateUnavailable(first, state, /disk under the store is full.*SQLITE_FULL/);
      const before = recordIds(out).length;
      expect(before).toBeGreaterThan(0); // it stopped mid-run (7 records of 40 when written)
      expect(before).toBeLessThan(PAGES);

      rmSync(filler);
      const second = await crawl(state, out);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/resuming an interrupted run/);
      const ids = recordIds(out);
      expect(new Set(ids).size).toBe(ids.length); // nothing twice
      expect(ids).toHaveLength(PAGES); // nothing lost
    } finally {
      unmount();
    }
  }, 60_000);
});

describe('crawl whose store is deleted or replaced while it runs', () => {
  it.each(['deleted', 'replaced'])('the store %s: exit 4 naming it, instead of carrying on into a file nobody reads', async (how) => {
    const slow = await startNewsSite({ delayMs: 100 });
    const out = join(dir, `gone-${how}`);
    try {
      for (let n = 1; n <= PAGES; n++) slow.pages.set(`/news/story-${n}.html`, articlePage(`Story number ${n}`, paragraphs(n)));
      const sources = join(dir, `slow-${how}.yaml`);
      writeFileSync(sources, `defaults: { per_host: { concurrency: 1, delay_ms: 0 } }\nsites:\n  - name: news\n    sitemaps: ["${slow.origin}/sitemap.xml"]\n`);
      const state = join(out, 'state.db');
      const child = spawn(process.execPath, [CLI, 'crawl', '-c', sources, '--allow-private-networks', '--threads', '0', '--state', state, '--output-dir', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const watch = setInterval(() => {
        if (recordIds(out).length < 2 || !existsSync(state)) return;
        clearInterval(watch);
        if (how === 'deleted') rmSync(state);
        else {
          const other = join(dir, `other-${how}.db`);
          openState(other).close();
          execFileSync('mv', [other, state]);
        }
      }, 20);
      const code = await closed;
      clearInterval(watch);
      expectStateUnavailable({ code, stderr }, state, /was deleted or replaced while the run was going/);
      expect(recordIds(out).length).toBeLessThan(PAGES); // it stopped, it did not crawl on
    } finally {
      await slow.close();
    }
  }, 60_000);
});
