/**
 * Faults under a queued crawl, with real servers (Redis and PostgreSQL from
 * Debian's packages) and dist/cli.js: Redis restarted mid-run (workers and
 * the coordinator reconnect, no job lost with AOF on); a worker whose output
 * folder cannot be written stops taking jobs and says why while the others
 * finish the run; PostgreSQL down when a worker starts (exit 4, one line,
 * password masked); PostgreSQL stopped mid-run and started again (jobs fail,
 * retry, and every article ends once).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, postgresMissing, startPostgres } from './helpers/postgres-server.js';
import { type RedisServer, redisMissing, startRedis } from './helpers/redis-server.js';
import { CLI, ROOT, jsonLines, runCli } from './helpers/run-cli.js';
import { startTimedHosts } from './helpers/timed-site.js';
import { mountTmpfs, tmpfsAvailable } from './helpers/tmpfs.js';

const missing = postgresMissing ?? redisMissing;
let redis: RedisServer;
let pg: PostgresServer;
let dir: string;
let workers: ChildProcess[] = [];

beforeAll(async () => {
  if (missing) return;
  [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
  dir = mkdtempSync(join(tmpdir(), 'nc-queue-faults-'));
}, 60_000);
afterEach(async () => {
  const alive = workers.filter((w) => w.exitCode === null && w.signalCode === null);
  for (const w of alive) w.kill('SIGKILL');
  await Promise.all(alive.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  workers = [];
  await redis?.flush();
});
afterAll(async () => {
  await redis?.stop();
  pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cleanEnv = (): NodeJS.ProcessEnv => {
  const out: NodeJS.ProcessEnv = { NEWSCLEAN_QUEUE_LOCK_MS: '2000' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NEWSCLEAN_')) out[k] = v;
  return out;
};

function startWorker(state: string, out: string): ChildProcess & { stderrText: () => string } {
  const args = [CLI, 'worker', '--queue', redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '--threads', '0', '--concurrency', '4', '-q'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (text += d));
  workers.push(child);
  return Object.assign(child, { stderrText: () => text });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

function crawl(origins: string[], state: string, out: string): Promise<{ code: number | null; stderr: string }> {
  const sources = join(dir, `sources-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(sources, `defaults: { per_host: { concurrency: 4, delay_ms: 0 } }\nsites:\n${origins.map((o, i) => `  - name: h${i}\n    sitemaps: ["${o}/sitemap.xml"]\n`).join('')}`);
  return runCli(['crawl', '-c', sources, '--queue', redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q'], { NEWSCLEAN_QUEUE_LOCK_MS: '2000' });
}

function recordIds(out: string): string[] {
  const ids: string[] = [];
  for (const day of readdirSync(out)) {
    for (const run of readdirSync(join(out, day)).filter((f) => f.startsWith('crawl-'))) {
      for (const f of readdirSync(join(out, day, run)).filter((f) => f.startsWith('part-') && f.endsWith('.jsonl') && !f.includes('.rejects.'))) {
        ids.push(...(jsonLines(readFileSync(join(out, day, run, f), 'utf8')) as Array<{ id: string }>).map((r) => r.id));
      }
    }
  }
  return ids;
}

const pagesStarted = (hosts: Array<{ starts: number[] }>): number => hosts.reduce((n, h) => n + h.starts.length, 0);
const until = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
};

describe.skipIf(missing !== null)(`faults under crawl --queue${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('Redis restarted mid-run: workers and the coordinator reconnect, every article exactly once', async () => {
    const site = await startTimedHosts(2, 15, 100);
    try {
      const state = pg.newDatabase();
      const out = join(dir, 'out-redis');
      startWorker(state, out);
      startWorker(state, out);
      const run = crawl(site.hosts.map((h) => h.origin), state, out);
      await until(() => pagesStarted(site.hosts) >= 8);
      await redis.restart();
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      const ids = recordIds(out);
      expect(new Set(ids).size).toBe(30);
      expect(ids).toHaveLength(30);
    } finally {
      await site.close();
    }
  });

  it.skipIf(!tmpfsAvailable)('a worker whose output cannot be written stops taking jobs and says why; the others finish the run', async () => {
    const site = await startTimedHosts(1, 12, 50);
    const readOnly = join(dir, 'ro');
    const unmount = mountTmpfs(readOnly, { sizeKb: 64, readOnly: true });
    try {
      const state = pg.newDatabase();
      const out = join(dir, 'out-good');
      const bad = startWorker(state, readOnly);
      const run = crawl(site.hosts.map((h) => h.origin), state, out);
      expect(await exited(bad)).toBe(74);
      expect(bad.stderrText()).toMatch(/OUTPUT_FAILED/);
      startWorker(state, out); // the job the bad worker gave back, and the rest, go to a good one
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      expect(new Set(recordIds(out)).size).toBe(12);
    } finally {
      unmount();
      await site.close();
    }
  });

  it('PostgreSQL not reachable when a worker starts: exit 4, one line naming the URL, password masked', async () => {
    const r = await runCli(['worker', '--queue', redis.url, '--state', 'postgres://newsclean:hunter2@127.0.0.1:1/news', '--output-dir', join(dir, 'out-nopg'), '-q']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/STATE_UNAVAILABLE: state store postgres:\/\/newsclean:\*\*\*@127\.0\.0\.1:1\/news/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('PostgreSQL stopped mid-run and started again: jobs fail and retry; every article ends exactly once', async () => {
    const site = await startTimedHosts(2, 12, 100);
    try {
      const state = pg.newDatabase();
      const out = join(dir, 'out-pg');
      startWorker(state, out);
      startWorker(state, out);
      const run = crawl(site.hosts.map((h) => h.origin), state, out);
      await until(() => pagesStarted(site.hosts) >= 6);
      pg.restart();
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      const ids = recordIds(out);
      expect(new Set(ids).size).toBe(24);
      expect(ids).toHaveLength(24);
    } finally {
      await site.close();
    }
  });
});
