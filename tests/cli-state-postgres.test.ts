/**
 * `newsclean crawl` and `newsclean state` with the state in PostgreSQL, run
 * as users run them (dist/cli.js against a loopback site), on a real server
 * from Debian's packages: the URL from the environment or --state, a second
 * run that finds everything known, a run killed with SIGKILL and resumed
 * with every article once, the state commands on the same URL, and a server
 * that is not there (exit 4, one line, password masked).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewsSite, articlePage, startNewsSite } from './helpers/news-site.js';
import { type PostgresServer, postgresMissing, startPostgres } from './helpers/postgres-server.js';
import { CLI, ROOT, jsonLines, runCli } from './helpers/run-cli.js';

const PAGES = 24;
const para = (n: number, i: number): string =>
  `Report ${n}, part ${i}: the regional council met on day ${n * 5 + i} to discuss the new ferry timetable, the repairs of bridge ${n}-${i}, and a budget line that residents had asked about for ${i + 2} months.`;

let site: NewsSite;
let pg: PostgresServer;
let dir: string;
beforeAll(async () => {
  if (postgresMissing) return;
  pg = await startPostgres();
  site = await startNewsSite({ delayMs: 30 });
  for (let n = 1; n <= PAGES; n++) site.pages.set(`/news/report-${n}.html`, articlePage(`Report number ${n}`, [0, 1, 2].map((i) => para(n, i))));
  dir = mkdtempSync(join(tmpdir(), 'nc-cli-pg-'));
  writeFileSync(join(dir, 'sources.yaml'), `defaults: { per_host: { concurrency: 2, delay_ms: 0 } }\nsites:\n  - name: news\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);
}, 60_000);
afterAll(async () => {
  await site?.close();
  pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const crawlArgs = (out: string, extra: string[] = []): string[] => ['crawl', '-c', join(dir, 'sources.yaml'), '--allow-private-networks', '--threads', '0', '--output-dir', out, '-q', ...extra];

function records(out: string): Array<{ id: string; url: string }> {
  const rows: Array<{ id: string; url: string }> = [];
  for (const day of readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(out, day.name))) {
      if (f.endsWith('.jsonl') && !f.includes('.rejects.')) rows.push(...(jsonLines(readFileSync(join(out, day.name, f), 'utf8')) as Array<{ id: string; url: string }>));
    }
  }
  return rows;
}

describe.skipIf(postgresMissing !== null)(`crawl with the state in PostgreSQL${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () => {
  it('NEWSCLEAN_STATE_URL: the first run exports every article, the second finds them all known; state stats and export read the same store', async () => {
    const url = pg.newDatabase();
    const out = join(dir, 'out-env');
    const first = await runCli(crawlArgs(out), { NEWSCLEAN_STATE_URL: url });
    expect(first.code, first.stderr).toBe(0);
    expect(records(out)).toHaveLength(PAGES);
    const second = await runCli(crawlArgs(out, ['--state', url]));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`${PAGES} already known`);
    expect(records(out)).toHaveLength(PAGES);

    const stats = await runCli(['state', 'stats', '--json', '--state', url]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ schemaVersion: 7, urls: { total: PAGES, byStatus: { exported: PAGES } }, runs: { total: 2 } });
    const rows = await runCli(['state', 'export', '--table', 'urls', '--status', 'exported'], { NEWSCLEAN_STATE_URL: url });
    expect(rows.code, rows.stderr).toBe(0);
    expect(jsonLines(rows.stdout)).toHaveLength(PAGES);
    expect(`${first.stderr}${second.stderr}${stats.stdout}`).not.toContain(pg.password);
  });

  it('a --state path beats NEWSCLEAN_STATE_URL (flags over the environment)', async () => {
    const out = join(dir, 'out-flag');
    const r = await runCli(crawlArgs(out, ['--state', join(out, 'state.db'), '--max-articles', '2']), { NEWSCLEAN_STATE_URL: 'postgres://nobody:pw@127.0.0.1:1/none' });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toContain('state.db');
  });

  it('a run killed with SIGKILL, run again with the same URL: every article exactly once', async () => {
    const url = pg.newDatabase();
    const out = join(dir, 'out-kill');
    const child = spawn(process.execPath, [CLI, ...crawlArgs(out, ['--state', url])], { cwd: ROOT, stdio: 'ignore' });
    const signal = await new Promise<string | null>((resolve) => {
      const watch = setInterval(() => {
        let n = 0;
        try {
          n = records(out).length;
        } catch {
          // a line caught half-written: look again
        }
        if (n >= 6) child.kill('SIGKILL');
      }, 5);
      child.on('close', (_code, sig) => (clearInterval(watch), resolve(sig)));
    });
    expect(signal).toBe('SIGKILL'); // the run was really interrupted
    expect(records(out).length).toBeLessThan(PAGES);
    const again = await runCli(crawlArgs(out, ['--state', url]));
    expect(again.code, again.stderr).toBe(0);
    const ids = records(out).map((r) => r.id);
    expect(new Set(ids).size).toBe(PAGES);
    expect(ids).toHaveLength(PAGES);
  });

  it('a server that is not there: exit 4, one line naming the URL with the password masked', async () => {
    const r = await runCli(crawlArgs(join(dir, 'out-down'), ['--state', 'postgres://newsclean:hunter2@127.0.0.1:1/news']));
    expect(r.code).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/STATE_UNAVAILABLE.*postgres:\/\/newsclean:\*\*\*@127\.0\.0\.1:1\/news/);
    expect(r.stderr).not.toContain('hunter2');
  });
});
