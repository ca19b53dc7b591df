/**
 * `newsclean schedule` as a process: it runs a site at start-up (--run-now),
 * logs the run's summary, serves /healthz and /metrics with the documented
 * counters, and ends cleanly (exit 0) on SIGTERM. Without any schedule it is
 * a config error.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewsSite, articlePage, startNewsSite } from './helpers/news-site.js';
import { CLI, ROOT, runCli } from './helpers/run-cli.js';

let site: NewsSite;
let dir: string;
beforeAll(async () => {
  site = await startNewsSite();
  for (let n = 1; n <= 5; n++) {
    site.pages.set(`/news/${n}.html`, articlePage(`Harbour works, part ${n}`, [0, 1, 2].map((i) => `The harbour authority said on day ${n * 3 + i} that the works on pier ${n} would take ${n + i + 4} more months, and fishermen asked for a temporary berth and compensation for item ${n}-${i}.`)));
  }
  dir = mkdtempSync(join(tmpdir(), 'nc-schedule-'));
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

const sources = (schedule: string | null): string => {
  const file = join(dir, `sources-${schedule === null ? 'none' : 'hourly'}.yaml`);
  writeFileSync(file, `defaults: { per_host: { concurrency: 2, delay_ms: 0 }${schedule ? `, schedule: "${schedule}"` : ''} }\nsites:\n  - name: harbour\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);
  return file;
};

describe('newsclean schedule', () => {
  it('runs at start-up, serves /healthz and /metrics, and exits 0 on SIGTERM', async () => {
    const args = [CLI, 'schedule', '-c', sources('0 * * * *'), '--run-now', '--status-port', '0', '--allow-private-networks', '--threads', '1', '--state', join(dir, 'state.db'), '--output-dir', join(dir, 'out')];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const logs = (): Array<Record<string, unknown>> => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const t0 = Date.now();
      while (!logs().some((l) => l['msg'] === 'run summary')) {
        if (Date.now() - t0 > 20_000) throw new Error(`no run summary:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const url = logs().find((l) => l['msg'] === 'scheduler started')!['status_url'] as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/); // loopback by default
      const summary = logs().find((l) => l['msg'] === 'run summary')!;
      expect(summary).toMatchObject({ site: 'harbour', status: 'done', counts: { articles: 5, rejects: 0 }, run_id: expect.stringMatching(/^crawl-/) });

      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; sites: Array<{ name: string; cron: string; running: boolean; next_run: string; last_run: { status: string; articles: number } }> };
      expect(body.status).toBe('ok');
      expect(body.sites).toEqual([expect.objectContaining({ name: 'harbour', cron: '0 * * * *', running: false, last_run: expect.objectContaining({ status: 'done', articles: 5 }) })]);
      expect(new Date(body.sites[0]!.next_run).getUTCMinutes()).toBe(0);

      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^newsclean_runs_total\{site="harbour",status="done"\} 1$/m);
      expect(metrics).toMatch(/^newsclean_articles_total\{site="harbour"\} 5$/m);
      expect(metrics).toMatch(/^newsclean_pages_fetched_total\{site="harbour"\} 5$/m);
      expect(metrics).toMatch(/^newsclean_run_in_progress\{site="harbour"\} 0$/m);
      expect(metrics).toMatch(/^newsclean_next_run_timestamp_seconds\{site="harbour"\} \d+$/m);
      expect(metrics).toMatch(/^newsclean_process_cpu_seconds_total /m);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(logs().at(-1)!['msg']).toBe('scheduler stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('with no schedule anywhere: a one-line config error, exit 3', async () => {
    const r = await runCli(['schedule', '-c', sources(null), '--no-status-server']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/CONFIG_INVALID: .*no site to schedule/);
  });

  it('a status port already taken: a one-line config error naming it, exit 3', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['schedule', '-c', sources('0 * * * *'), '--status-port', String(port), '--threads', '1', '--state', join(dir, 'busy.db')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});
