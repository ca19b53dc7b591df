/**
 * Redis and PostgreSQL from Debian's packages for benchmarks (the tests have
 * their own TypeScript twin in tests/helpers/): each started as a child on a
 * free loopback port in a temp folder, and stopped with everything removed.
 * PostgreSQL runs as the `postgres` user when we are root (initdb refuses root).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const listening = (port) => new Promise((resolve) => {
  const s = createConnection({ port, host: '127.0.0.1' }, () => (s.end(), resolve(true)));
  s.on('error', () => resolve(false));
});

export function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const v = readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a))[0];
  return v ? join(root, v, 'bin') : null;
}

export function redisBin() {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'nc-bench-redis-'));
  const port = await freePort();
  const child = spawn(redisBin(), ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  while (!(await listening(port))) await new Promise((r) => setTimeout(r, 25));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startPostgres() {
  const bin = postgresBin();
  const root = process.getuid?.() === 0;
  const run = (cmd, args) => (root ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' }));
  const dir = mkdtempSync(join(tmpdir(), 'nc-bench-pg-'));
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])));
  run('initdb', ['-D', join(dir, 'data'), '-U', 'newsclean', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  let n = 0;
  return {
    /** A new empty database's URL. */
    newDatabase() {
      const name = `bench${++n}`;
      run('psql', ['-h', dir, '-p', String(port), '-U', 'newsclean', '-d', 'postgres', '-q', '-c', `CREATE DATABASE ${name}`]);
      return `postgres://newsclean@127.0.0.1:${port}/${name}`;
    },
    /** psql against a database (for sizes). */
    query(db, sql) {
      const args = ['-h', dir, '-p', String(port), '-U', 'newsclean', '-d', db, '-At', '-c', sql];
      return (root ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'psql'), ...args], { encoding: 'utf8' }) : execFileSync(join(bin, 'psql'), args, { encoding: 'utf8' })).trim();
    },
    stop() {
      try {
        run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
