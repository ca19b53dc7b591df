/**
 * TLS to both servers, verified: a Redis that speaks only TLS (rediss://) and
 * a PostgreSQL that accepts only TLS over TCP (sslmode=verify-full), both
 * with a self-signed certificate the CLI trusts through NODE_EXTRA_CA_CERTS,
 * as an operator would give it a private CA. A queued crawl goes through;
 * the password appears nowhere in what the run prints or writes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, postgresMissing, startPostgres } from './helpers/postgres-server.js';
import { type RedisServer, redisMissing, startRedis } from './helpers/redis-server.js';
import { CLI, ROOT, runCli } from './helpers/run-cli.js';
import { startTimedHosts } from './helpers/timed-site.js';
import { type TlsFiles, makeCert, opensslMissing } from './helpers/tls-cert.js';

const missing = postgresMissing ?? redisMissing ?? opensslMissing;
let tls: TlsFiles;
let redis: RedisServer;
let pg: PostgresServer;
let dir: string;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  if (missing) return;
  tls = makeCert();
  [redis, pg] = await Promise.all([startRedis({ tls }), startPostgres({ ssl: tls })]);
  dir = mkdtempSync(join(tmpdir(), 'nc-queue-tls-'));
}, 60_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await redis?.stop();
  pg?.stop();
  for (const d of [dir, tls?.dir]) if (d) rmSync(d, { recursive: true, force: true });
});

/** Every file under a folder, as text. */
const allText = (root: string): string =>
  readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')).join('\n');

describe.skipIf(missing !== null)(`rediss:// and sslmode=verify-full${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('a queued crawl over TLS to Redis and PostgreSQL; no password in its output', async () => {
    const site = await startTimedHosts(1, 6, 20);
    try {
      const state = `${pg.newDatabase()}?sslmode=verify-full`;
      const out = join(dir, 'out');
      const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: tls.cert };
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NEWSCLEAN_') && k !== 'NODE_EXTRA_CA_CERTS') env[k] = v;
      worker = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '--threads', '0'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let workerLog = '';
      worker.stderr!.setEncoding('utf8').on('data', (d: string) => (workerLog += d));
      const sources = join(dir, 'sources.yaml');
      writeFileSync(sources, `defaults: { per_host: { concurrency: 2, delay_ms: 0 } }\nsites:\n  - name: tls\n    sitemaps: ["${site.hosts[0]!.origin}/sitemap.xml"]\n`);
      expect(redis.url).toMatch(/^rediss:/);
      const r = await runCli(['crawl', '-c', sources, '--queue', redis.url, '--state', state, '--output-dir', out, '--allow-private-networks'], { NODE_EXTRA_CA_CERTS: tls.cert });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('6 articles');
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker!.once('exit', resolve));
      expect(`${r.stderr}${workerLog}${allText(out)}`).not.toContain(pg.password);
    } finally {
      await site.close();
    }
  });

  it('without trusting the certificate, TLS verification fails: exit 4, one line', async () => {
    const r = await runCli(['state', 'stats', '--state', `${pg.newDatabase()}?sslmode=verify-full`]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('STATE_UNAVAILABLE');
    expect(r.stderr).not.toContain(pg.password);
  });
});
