/**
 * Never lose, never duplicate: `newsclean crawl` in a child process, SIGKILLed
 * at several points (before any output, and after a few, several and most
 * records), then run again until it finishes. The resumed run must end with
 * every article of the site exactly once across everything it wrote.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewsSite, articlePage, startNewsSite } from './helpers/news-site.js';
import { CLI, ROOT } from './helpers/run-cli.js';
import { checkWarc } from './helpers/warc-check.js';

/** The WARC-Target-URI of the response record at a record's `warc` position (one gzip member). */
function archivedUri(at: { file: string; offset: number; length: number }): string | undefined {
  const member = gunzipSync(readFileSync(at.file).subarray(at.offset, at.offset + at.length)).toString('utf8');
  expect(member).toMatch(/^WARC\/1\.1\r\n[^]*WARC-Type: response\r\n/);
  return /\r\nWARC-Target-URI: (\S+)\r\n/.exec(member)?.[1];
}

const PAGES = 30;
const WORDS = ['council', 'harbour', 'budget', 'railway', 'school', 'hospital', 'museum', 'festival', 'river', 'market', 'airport', 'library'];
/** A distinct article of ~120 words for page n. */
const paragraphs = (n: number): string[] =>
  [0, 1, 2, 3].map((i) => `Story ${n} part ${i}: the ${WORDS[(n + i) % WORDS.length]} plan was discussed again on day ${n * 7 + i}, and officials said the ${WORDS[(n * 3 + i) % WORDS.length]} works would be finished within ${n + i + 2} months, while residents asked for more details about costs and the timetable of item ${n}-${i}.`);

let site: NewsSite;
let dir: string;
beforeAll(async () => {
  site = await startNewsSite({ delayMs: 40 });
  // The sitemap lists stories 1–10; each links to n+10, which links to n+20: two thirds of the
  // site is found only by following links, so a resume must keep the links of pages already done.
  const more = (n: number): string => (n + 10 <= PAGES ? `<ul class="more"><li><a href="/news/story-${n + 10}.html">More</a></li></ul>` : '');
  for (let n = 1; n <= PAGES; n++) site.pages.set(`/news/story-${n}.html`, articlePage(`Story number ${n}`, paragraphs(n)).replace('</main>', `${more(n)}</main>`));
  site.listed = new Set(Array.from({ length: 10 }, (_, i) => `/news/story-${i + 1}.html`));
  dir = mkdtempSync(join(tmpdir(), 'nc-resume-'));
  writeFileSync(join(dir, 'sources.yaml'), `defaults: { per_host: { concurrency: 2, delay_ms: 0 } }\nsites:\n  - name: news\n    sitemaps: ["${site.origin}/sitemap.xml"]\n    follow: { allow: ['/news/'], max_depth: 3 }\n`);
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

const gz = (f: string): boolean => f.endsWith('.gz');
const readText = (f: string): string => (gz(f) ? gunzipSync(readFileSync(f)).toString('utf8') : readFileSync(f, 'utf8'));

function recordFiles(root: string): string[] {
  const out: string[] = [];
  if (!existsSync(root)) return out;
  const days = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const day of days) for (const f of readdirSync(join(root, day))) if (/\.jsonl(\.gz)?$/.test(f) && !f.includes('.rejects.')) out.push(join(root, day, f));
  return out;
}
/** Complete lines so far (a .gz being written may end mid-block: count what decodes). */
function countLines(root: string): number {
  let n = 0;
  for (const f of recordFiles(root)) {
    const bytes = readFileSync(f);
    const text = gz(f) ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8') : bytes.toString('utf8');
    n += text.split('\n').length - 1;
  }
  return n;
}

/** Run the crawl; SIGKILL it once the output holds `killAt` records (or after `killAfterMs`), unless it finishes first. */
function crawlOnce(out: string, kill: { atRecords?: number; afterMs?: number } | null, extra: string[] = []): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const args = [CLI, 'crawl', '-c', join(dir, 'sources.yaml'), '--allow-private-networks', '--threads', '0', '--state', join(out, 'state.db'), '--output-dir', out, ...extra];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const started = Date.now();
  const watch = kill
    ? setInterval(() => {
        const due = (): boolean => (kill.afterMs !== undefined ? Date.now() - started >= kill.afterMs : countLines(out) >= (kill.atRecords ?? 0));
        let isDue = false;
        try {
          isDue = due();
        } catch {
          // a .gz caught between two writes: look again on the next tick
        }
        if (isDue) child.kill('SIGKILL');
      }, 5)
    : null;
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      if (watch) clearInterval(watch);
      resolve({ code, signal, stderr });
    });
  });
}

/** The newest WARC file in `folder`, with half a gzip member appended: what a write cut short by a kill leaves. */
function tearLastWarc(folder: string): void {
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.warc.gz')).sort() : [];
  if (files.length === 0) return;
  const member = gzipSync(Buffer.from(`WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 4000\r\n\r\n${'x'.repeat(4000)}`));
  appendFileSync(join(folder, files.at(-1)!), member.subarray(0, member.length >> 1));
}

describe.each([
  { name: 'plain JSONL', extra: [] as string[], warc: false },
  { name: 'gzip', extra: ['--gzip'], warc: false },
  { name: 'with a WARC archive', extra: [] as string[], warc: true },
])('a crawl killed with SIGKILL and run again ($name)', ({ name, extra: flags, warc }) => {
  it('ends with every article exactly once', async () => {
    const out = join(dir, `out-${name.replace(/\W/g, '')}`);
    const warcDir = join(out, 'warc');
    const extra = warc ? [...flags, '--warc', warcDir] : flags;
    const kills = [{ afterMs: 150 }, { atRecords: 3 }, { atRecords: 11 }, { atRecords: 20 }, { atRecords: 27 }];
    let killed = 0;
    for (const kill of kills) {
      const r = await crawlOnce(out, kill, extra);
      if (r.signal === 'SIGKILL') killed++;
      else expect(r.code, r.stderr).toBe(0);
      if (warc && r.signal === 'SIGKILL') tearLastWarc(warcDir); // a kill mid-write: the resumed run must cut it
    }
    expect(killed).toBeGreaterThanOrEqual(3); // the test must really interrupt runs
    const last = await crawlOnce(out, null, extra);
    expect(last.code, last.stderr).toBe(0);

    const ids: string[] = [];
    const sources = new Set<string>();
    for (const f of recordFiles(out)) {
      const text = readText(f);
      expect(text.endsWith('\n') || text === '').toBe(true); // no torn tail left behind
      for (const line of text.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { id: string; source: string; url: string; warc?: { file: string; offset: number; length: number } };
        ids.push(r.id);
        sources.add(r.source);
        if (warc) expect(archivedUri(r.warc!)).toBe(r.url); // written before its line, so a kill never leaves a line pointing at nothing
      }
    }
    if (warc) {
      // Every file whole again (each torn tail cut on resume), every record's digests right.
      const files = readdirSync(warcDir).filter((f) => f.endsWith('.warc.gz'));
      expect(files.length).toBeGreaterThanOrEqual(killed);
      for (const f of files) expect(checkWarc(join(warcDir, f)).length).toBeGreaterThan(0);
    }
    expect(new Set(ids).size).toBe(ids.length); // nothing twice
    expect(sources.size).toBe(PAGES); // nothing lost
    // The runs after the first kill resumed the same run: one records file.
    expect(recordFiles(out)).toHaveLength(1);
  }, 90_000);
});
