/**
 * What the queued-crawl tests share (tests/cli-queue*.test.ts): a real Redis
 * and PostgreSQL for the file, `newsclean worker` processes started as users
 * start them and killed after each test (Redis flushed, so no job of one
 * test's run is left for the next test's workers), and sources files.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type PostgresServer, postgresMissing, startPostgres } from './postgres-server.js';
import { type RedisServer, redisMissing, startRedis } from './redis-server.js';
import { CLI, ROOT } from './run-cli.js';

/** A dead worker's jobs go to another after this long (queue.lockMs): short, so takeover tests stay short. */
export const LOCK_MS = '2000';

/** The environment of a spawned CLI: none of the outer shell's NEWSCLEAN_* variables, a short queue lock, then `extra`. */
export function queueEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NEWSCLEAN_')) out[k] = v;
  return { ...out, NEWSCLEAN_QUEUE_LOCK_MS: LOCK_MS, ...extra };
}

export type Worker = ChildProcess & { stderrText: () => string };

export const exited = (child: ChildProcess): Promise<{ code: number | null; signal: string | null }> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

export interface QueueTestbed {
  /** Why the servers are missing (the tests skip), or null. */
  missing: string | null;
  readonly redis: RedisServer;
  readonly pg: PostgresServer;
  readonly dir: string;
  /** A worker on this file's Redis, with the given state and output folder (and more flags). */
  startWorker(state: string, out: string, extra?: string[]): Worker;
  /** Keep a process to kill after the test (a scheduler, say). */
  track(child: ChildProcess): void;
  /** A sources file with one site per origin (named `<name>0`, `<name>1`…) and these per-host defaults. */
  sources(origins: string[], perHost: string, name?: string): string;
}

export function queueTestbed(prefix: string): QueueTestbed {
  const missing = postgresMissing ?? redisMissing;
  let redis: RedisServer | undefined;
  let pg: PostgresServer | undefined;
  let dir: string | undefined;
  let children: ChildProcess[] = [];
  beforeAll(async () => {
    if (missing) return;
    [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
    dir = mkdtempSync(join(tmpdir(), prefix));
  }, 60_000);
  afterEach(async () => {
    const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
    for (const c of alive) c.kill('SIGKILL');
    await Promise.all(alive.map((c) => new Promise((resolve) => c.once('exit', resolve))));
    children = [];
    await redis?.flush();
  });
  afterAll(async () => {
    await redis?.stop();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    missing,
    get redis() {
      return redis!;
    },
    get pg() {
      return pg!;
    },
    get dir() {
      return dir!;
    },
    startWorker(state, out, extra = []) {
      const args = [CLI, 'worker', '--queue', redis!.url, '--state', state, '--output-dir', out, '--allow-private-networks', '--threads', '0', '--concurrency', '4', '-q', ...extra];
      const child = spawn(process.execPath, args, { cwd: ROOT, env: queueEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (text += d));
      children.push(child);
      return Object.assign(child, { stderrText: () => text });
    },
    track: (child) => void children.push(child),
    sources(origins, perHost, name = 'host') {
      const path = join(dir!, `sources-${Math.random().toString(36).slice(2)}.yaml`);
      const sites = origins.map((o, i) => `  - name: ${name}${i}\n    sitemaps: ["${o}/sitemap.xml"]\n`).join('');
      writeFileSync(path, `defaults: { per_host: ${perHost} }\nsites:\n${sites}`);
      return path;
    },
  };
}
