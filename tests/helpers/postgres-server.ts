/**
 * A real PostgreSQL server for tests, from Debian's packages (`postgresql`:
 * initdb, pg_ctl), started as a child cluster in a temp folder on a free
 * loopback port, with password (SCRAM) authentication so tests can check the
 * password is never shown. As root it runs as the `postgres` user (initdb
 * refuses root). Where the binaries are missing, `postgresBin` is null and the
 * tests skip, except under CI, where `.ci/run` installs them and a missing
 * binary fails the run instead of passing it silently.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncPostgres } from '../../src/state/postgres/bridge.js';

function findBin(): string | null {
  const onPath = (process.env.PATH ?? '').split(':').find((d) => d && existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'initdb')));
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

export const postgresBin = findBin();
if (postgresBin === null && process.env.CI) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: .ci/run installs Debian\'s postgresql package');
export const postgresMissing = postgresBin === null ? 'PostgreSQL (initdb, pg_ctl) not installed: apt-get install postgresql' : null;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PostgresServer {
  /** postgres://newsclean:PASSWORD@127.0.0.1:PORT/postgres */
  adminUrl: string;
  password: string;
  port: number;
  /** A URL of a new, empty database. */
  newDatabase(): string;
  stop(): void;
  /** Stop (fast) and start again on the same port and data. */
  restart(): void;
}

const asRoot = process.getuid?.() === 0;
/** Run a PostgreSQL binary, as the postgres user when we are root. */
function pgRun(bin: string, args: string[]): void {
  const cmd = join(postgresBin!, bin);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

/** initdb + pg_ctl start on a free port; `stop()` removes it all. `ssl`: also accept TLS with this certificate and key. */
export async function startPostgres(opts: { ssl?: { cert: string; key: string } } = {}): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nc-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const password = 'pw-' + Math.random().toString(36).slice(2, 10);
  writeFileSync(join(dir, 'pw'), password);
  if (asRoot) for (const p of [dir, join(dir, 'pw')]) chownSync(p, uidOf('postgres'), gidOf('postgres'));
  pgRun('initdb', ['-D', data, '-U', 'newsclean', '--pwfile', join(dir, 'pw'), '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  let ssl = '';
  if (opts.ssl) {
    // The server reads its own copies: owned by it, the key private (PostgreSQL refuses a key others can read).
    for (const [name, from] of [['server.crt', opts.ssl.cert], ['server.key', opts.ssl.key]] as const) {
      copyFileSync(from, join(dir, name));
      chmodSync(join(dir, name), 0o600);
      if (asRoot) chownSync(join(dir, name), uidOf('postgres'), gidOf('postgres'));
    }
    ssl = ` -c ssl=on -c ssl_cert_file=${join(dir, 'server.crt')} -c ssl_key_file=${join(dir, 'server.key')}`;
    // TLS only over TCP: a connection that works proves TLS was used.
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
  }
  const start = (): void =>
    pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200${ssl}`, 'start']);
  start();
  const adminUrl = `postgres://newsclean:${password}@127.0.0.1:${port}/postgres`;
  // This process does not trust the test certificate (NODE_EXTRA_CA_CERTS is read at start-up): TLS without verification, for setting up only.
  const setupUrl = opts.ssl ? `${adminUrl}?sslmode=no-verify` : adminUrl;
  let n = 0;
  const stop = (): void => {
    try {
      pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  return {
    adminUrl,
    password,
    port,
    newDatabase() {
      const name = `t${process.pid}_${++n}`;
      const admin = new SyncPostgres(setupUrl, 'test admin');
      try {
        admin.call({ op: 'query', text: `CREATE DATABASE ${name}`, values: [] });
      } finally {
        admin.close();
      }
      return adminUrl.replace(/\/postgres$/, `/${name}`);
    },
    restart() {
      pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      start();
    },
    stop() {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const idOf = (flag: '-u' | '-g', user: string): number => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
const uidOf = (user: string): number => idOf('-u', user);
const gidOf = (user: string): number => idOf('-g', user);
