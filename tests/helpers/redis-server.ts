/**
 * A real Redis for tests, from Debian's packages (`redis-server`), started as
 * a child process on a free loopback port with AOF on (as the compose file
 * runs it), in a temp folder. Where the binary is missing, `redisMissing`
 * says so and the tests skip, except under CI, where `.ci/run` installs it
 * and a missing binary fails the run instead.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './postgres-server.js';

function findRedis(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const redisBin = findRedis();
if (redisBin === null && process.env.CI) throw new Error("redis-server not found: .ci/run installs Debian's redis-server package");
export const redisMissing = redisBin === null ? 'Redis (redis-server) not installed: apt-get install redis-server' : null;

export interface RedisServer {
  url: string;
  port: number;
  /** Stop (SIGTERM: AOF flushed) and start again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** FLUSHALL: the next test starts with an empty queue (no job of an earlier test's run left for its workers). */
  flush(): Promise<void>;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const { createConnection } = await import('node:net');
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

/** `tls`: serve TLS only (rediss://) with this certificate and key. */
export async function startRedis(opts: { tls?: { cert: string; key: string } } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nc-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  const start = async (): Promise<void> => {
    const listen = opts.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key, '--tls-ca-cert-file', opts.tls.cert, '--tls-auth-clients', 'no']
      : ['--port', String(port)];
    child = spawn(redisBin!, [...listen, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    await waitForPort(port, child);
  };
  const halt = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await start();
  return {
    url: `${opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    port,
    restart: async () => (await halt(), await start()),
    stop: async () => (await halt(), rmSync(dir, { recursive: true, force: true })),
    async flush() {
      const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await client.connect();
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
  };
}
