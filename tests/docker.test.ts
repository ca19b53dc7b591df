/**
 * The container set-up without a Docker engine: docker-compose.yml validated
 * by docker-compose itself, and the Dockerfile's final-stage ENTRYPOINT + CMD
 * and HEALTHCHECK run as they are, with node, from the repo root.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { defaultConfig } from '../src/config/schema.js';
import { articlePage, type NewsSite, startNewsSite } from './helpers/news-site.js';
import { ROOT } from './helpers/run-cli.js';

// ---------------------------------------------------------------- Dockerfile

interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions of the Dockerfile's last stage (after its last FROM), continuation lines joined, comments dropped. */
function finalStage(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  if (current.trim()) logical.push(current);
  const all = logical.filter((l) => l.trim() !== '').map((l) => {
    const m = /^(\S+)\s*(.*)$/.exec(l.trim())!;
    return { keyword: m[1]!.toUpperCase(), args: m[2]!.trim() };
  });
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  return all.slice(lastFrom + 1);
}

/** A JSON-form instruction's argument list (ENTRYPOINT, CMD, HEALTHCHECK … CMD). */
function jsonForm(args: string, what: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw new Error(`${what}: expected the JSON (exec) form, got ${args}`);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) throw new Error(`${what}: expected a JSON array of strings`);
  return value as string[];
}

const one = (stage: Instruction[], keyword: string): Instruction => {
  const found = stage.filter((i) => i.keyword === keyword);
  if (found.length === 0) throw new Error(`Dockerfile final stage: no ${keyword}`);
  return found.at(-1)!; // the last one wins, as in docker
};

/** HEALTHCHECK [--opt=v …] CMD …: the command, as an argv (exec form) or for `sh -c` (shell form). */
function healthcheckCommand(args: string): string[] {
  const m = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(.+)$/is.exec(args);
  if (!m) throw new Error(`HEALTHCHECK: expected [OPTIONS] CMD command, got ${args}`);
  const cmd = m[2]!.trim();
  return cmd.startsWith('[') ? jsonForm(cmd, 'HEALTHCHECK CMD') : ['/bin/sh', '-c', cmd];
}

/** `--flag value` in argv replaced by `--flag next` (the flag must be there). */
function replaceFlag(argv: string[], flag: string, next: string): string[] {
  const at = argv.indexOf(flag);
  if (at < 0 || at + 1 >= argv.length) throw new Error(`expected ${flag} VALUE in ${argv.join(' ')}`);
  return [...argv.slice(0, at + 1), next, ...argv.slice(at + 2)];
}

const cleanEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NEWSCLEAN_')) env[k] = v;
  return { ...env, ...extra };
};

/** Run argv (argv[0] `node` = this node) to its end: the exit code. */
function runToEnd(argv: string[], timeoutMs: number): Promise<number | null> {
  const [cmd, ...rest] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd === 'node' ? process.execPath : cmd!, rest, { cwd: ROOT, stdio: 'ignore', timeout: timeoutMs });
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

async function until<T>(what: string, deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stage = finalStage(dockerfile);

describe('Dockerfile', () => {
  it('final stage: production, non-root, the status port exposed, SIGTERM, JSON-form entry command', ({ expect }) => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(stage.some((i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args))).toBe(true);
    expect(one(stage, 'USER').args).toBe('node');
    expect(one(stage, 'WORKDIR').args).toBe('/app');
    expect(one(stage, 'EXPOSE').args.split(/\s+/)).toContain(String(defaultConfig().schedule.server.port));
    expect(one(stage, 'STOPSIGNAL').args).toBe('SIGTERM');
    expect(jsonForm(one(stage, 'ENTRYPOINT').args, 'ENTRYPOINT')).toEqual(['node', 'dist/cli.js']);
    const cmd = jsonForm(one(stage, 'CMD').args, 'CMD');
    expect(cmd[0]).toBe('schedule');
    // In a container the status server must listen beyond the container's loopback.
    expect(cmd[cmd.indexOf('--status-host') + 1]).toBe('0.0.0.0');
  });
});

describe('the image entry command, run directly', () => {
  let site: NewsSite;
  let tmp: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    site = await startNewsSite();
    const words = 'The council met on Tuesday to discuss the new budget for schools and roads in the city.';
    site.pages.set('/news/1.html', articlePage('Budget approved', [words.repeat(3), words.repeat(2)]));
    site.pages.set('/news/2.html', articlePage('Roads reopened', [words.repeat(2), words.repeat(3)]));
    tmp = mkdtempSync(join(tmpdir(), 'newsclean-docker-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await site.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('serves /healthz, passes the HEALTHCHECK, crawls, and exits 0 on SIGTERM', async ({ expect }) => {
    const sources = join(tmp, 'sources.yaml');
    // A schedule that will not fire during the test: --run-now makes the one run.
    writeFileSync(sources, `defaults: { schedule: "0 3 * * *", per_host: { delay_ms: 0 } }\nsites:\n  - name: local\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);

    const entry = [...jsonForm(one(stage, 'ENTRYPOINT').args, 'ENTRYPOINT'), ...jsonForm(one(stage, 'CMD').args, 'CMD')];
    expect(entry[0]).toBe('node');
    // The image's command, with the test's sources file; loopback instead of
    // 0.0.0.0 and any free port (the image's port is the default, 9464).
    let argv = replaceFlag(entry.slice(1), '--config', sources);
    argv = replaceFlag(argv, '--status-host', '127.0.0.1');
    argv.push('--status-port', '0', '--run-now', '--allow-private-networks', '--threads', '0', '--state', join(tmp, 'state.db'), '--output-dir', join(tmp, 'out'));
    child = spawn(process.execPath, argv, { cwd: ROOT, env: cleanEnv({ NODE_ENV: 'production', NEWSCLEAN_LOG_FORMAT: 'json' }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const deadline = Date.now() + 8000;

    const statusUrl = await until('the "scheduler started" log line', deadline, async () => {
      if (child!.exitCode !== null) throw new Error(`schedule exited ${child!.exitCode}: ${stderr}`);
      for (const line of stderr.split('\n')) {
        if (!line.startsWith('{')) continue;
        const rec = JSON.parse(line) as { msg?: string; status_url?: string };
        if (rec.msg === 'scheduler started' && rec.status_url) return rec.status_url;
      }
      return undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${stderr}`);
    });
    const port = Number(new URL(statusUrl).port);
    expect(port).toBeGreaterThan(0);

    const health = await until('/healthz 200', deadline, async () => {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      return r.status === 200 ? ((await r.json()) as { status: string }) : undefined;
    });
    expect(health.status).toBe('ok');

    // The HEALTHCHECK, as written, aimed at this port instead of the image's.
    const check = healthcheckCommand(one(stage, 'HEALTHCHECK').args);
    const imagePort = String(defaultConfig().schedule.server.port);
    expect(check.join(' ')).toContain(`127.0.0.1:${imagePort}/healthz`);
    const checkHere = check.map((a) => a.replaceAll(`127.0.0.1:${imagePort}`, `127.0.0.1:${port}`));
    expect(await runToEnd(checkHere, 5000)).toBe(0);

    // The --run-now crawl of the loopback site finishes.
    await until('a finished run in /metrics', deadline, async () => {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /^newsclean_runs_total\{[^}]*status="done"[^}]*\} 1$/m.test(body) ? true : undefined;
    });
    expect(site.log.filter((l) => l.path.startsWith('/news/') && l.status === 200)).toHaveLength(2);

    const started = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exitOf(child), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    expect(code, stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stderr).toMatch(/"msg":"scheduler stopped"/);

    // With nothing listening, the same HEALTHCHECK fails.
    expect(await runToEnd(checkHere, 5000)).not.toBe(0);
  }, 15_000);
});

// ---------------------------------------------------------------- docker-compose.yml

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** A service volume in the short (`src:dst:ro`) or long form, as `docker-compose config` prints it. */
function mountOf(v: unknown): Mount {
  if (typeof v === 'string') {
    const [source, target, mode = 'rw'] = v.split(':');
    return { source: source!, target: target!, readOnly: mode.split(',').includes('ro') };
  }
  const long = v as { source: string; target: string; read_only?: boolean };
  return { source: long.source, target: long.target, readOnly: long.read_only === true };
}

const seconds = (d: string): number => {
  let total = 0;
  for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)) total += Number(n) * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6 }[unit as 'h' | 'm' | 's' | 'ms' | 'us'];
  return total;
};

const hasCompose = (): boolean => !spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).error;

describe('docker-compose.yml', () => {
  it('validates with `docker-compose config`: scheduler and crawl services, volumes, health, restart', async ({ expect, skip }) => {
    if (!hasCompose()) {
      if (process.env['CI']) throw new Error('docker-compose is not installed: .ci/run installs it (apt-get install docker-compose)');
      skip('docker-compose is not installed (Debian: apt-get install --no-install-recommends docker-compose); .ci/run installs it under CI');
    }
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(code, stderr).toBe(0);
    const config = parse(stdout) as { services: Record<string, Record<string, unknown>> };
    const { scheduler, crawl } = config.services;
    expect(scheduler, 'service scheduler').toBeDefined();
    expect(crawl, 'service crawl').toBeDefined();

    expect(scheduler!['restart']).toMatch(/^(always|unless-stopped|on-failure)/);
    const health = scheduler!['healthcheck'] as { test: string[] | string; interval?: string; start_period?: string; retries?: number };
    const test = Array.isArray(health.test) ? health.test : [health.test];
    expect(test[0]).toMatch(/^CMD/);
    expect(test.join(' ')).toContain('/healthz');
    expect(health.interval).toBeDefined();
    expect(health.retries).toBeGreaterThan(0);
    // Docker's SIGKILL must come after newsclean's own grace period.
    expect(seconds(String(scheduler!['stop_grace_period'])) * 1000).toBeGreaterThan(defaultConfig().run.graceMs);
    expect(scheduler!['profiles']).toBeUndefined(); // `up` starts it

    expect(crawl!['entrypoint']).toEqual(['node', 'dist/cli.js']);
    expect(crawl!['profiles']).toEqual(['manual']); // `up` does not start it

    for (const [name, service] of Object.entries({ scheduler: scheduler!, crawl: crawl! })) {
      expect(service['build'], `${name}: built from the repo`).toBeDefined();
      const mounts = (service['volumes'] as unknown[]).map(mountOf);
      const at = (target: string) => mounts.find((m) => m.target === target);
      expect(at('/app/config'), `${name}: config mount`).toMatchObject({ source: join(ROOT, 'config'), readOnly: true });
      expect(at('/app/output'), `${name}: output mount`).toMatchObject({ source: join(ROOT, 'output'), readOnly: false });
    }
  });

  it('the queue profile: redis with AOF, postgres, and workers sharing ./output, each with a health check', async ({ expect, skip }) => {
    if (!hasCompose()) {
      if (process.env['CI']) throw new Error('docker-compose is not installed: .ci/run installs it (apt-get install docker-compose)');
      skip('docker-compose is not installed');
    }
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), '--profile', 'queue', 'config'], { cwd: ROOT, timeout: 30_000, env: { ...process.env, NEWSCLEAN_QUEUE_URL: '', NEWSCLEAN_STATE_URL: '' } }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const { services } = parse(stdout) as { services: Record<string, Record<string, unknown>> };
    const { redis, postgres, worker, scheduler } = services;
    for (const [name, svc] of Object.entries({ redis: redis!, postgres: postgres!, worker: worker! })) {
      expect(svc['profiles'], name).toEqual(['queue']);
      expect((svc['healthcheck'] as { test: string[] }).test[0], `${name}: health check`).toMatch(/^CMD/);
    }
    expect((redis!['command'] as string[]).join(' ')).toContain('--appendonly yes');
    expect(worker!['command']).toEqual(expect.arrayContaining(['worker']));
    expect(worker!['depends_on']).toMatchObject({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    expect((worker!['volumes'] as unknown[]).map(mountOf).find((m) => m.target === '/app/output')).toMatchObject({ source: join(ROOT, 'output'), readOnly: false });
    const env = worker!['environment'] as Record<string, string>;
    expect(env['NEWSCLEAN_QUEUE_URL']).toBe('redis://redis:6379');
    expect(env['NEWSCLEAN_STATE_URL']).toMatch(/^postgres:\/\/newsclean:.*@postgres:5432\/newsclean$/);
    // The scheduler passes the two URLs through from .env: empty (its own SQLite crawls) unless set.
    expect(Object.keys(scheduler!['environment'] as object)).toEqual(expect.arrayContaining(['NEWSCLEAN_QUEUE_URL', 'NEWSCLEAN_STATE_URL']));
  });
});
