/**
 * A crawl spread over workers, as users run it: `newsclean worker` processes
 * and `newsclean crawl --queue` (dist/cli.js), with a real Redis and a real
 * PostgreSQL from Debian's packages, against loopback hosts that answer
 * slowly and record when each request started. Every article exactly once
 * in the union of the parts; politeness held at the server across workers;
 * robots.txt once per host; a worker killed with SIGKILL loses nothing; a
 * worker stopped with SIGTERM exits 0; no Redis: exit 4 and one line.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exited, queueEnv, queueTestbed } from './helpers/queue-testbed.js';
import { CLI, ROOT, jsonLines, runCli } from './helpers/run-cli.js';
import { minGap, startTimedHosts } from './helpers/timed-site.js';
import { checkWarc } from './helpers/warc-check.js';

const bed = queueTestbed('nc-queue-');
const { missing, startWorker, sources } = bed;
const env = queueEnv;

/** Every record of the run folder's parts, and the manifest. */
type Rec = { id: string; url: string; warc: { file: string; offset: number; length: number } };
function runOutput(out: string): { ids: string[]; records: Rec[]; manifest: { parts: string[]; warc?: string[]; counts: { articles: number }; status: string } } {
  const day = readdirSync(out).find((d) => /^\d{4}-/.test(d))!;
  const run = readdirSync(join(out, day)).find((f) => f.startsWith('crawl-'))!;
  const folder = join(out, day, run);
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const records: Rec[] = [];
  for (const f of readdirSync(folder).filter((f) => f.startsWith('part-') && f.endsWith('.jsonl') && !f.includes('.rejects.'))) {
    records.push(...(jsonLines(readFileSync(join(folder, f), 'utf8')) as Rec[]));
  }
  return { ids: records.map((r) => r.id), records, manifest };
}

/** Lines the worker with this pid has written so far (its part file in the run's folder). */
function victimLines(out: string, pid: number): number {
  try {
    for (const day of readdirSync(out).filter((d) => /^\d{4}-/.test(d))) {
      for (const run of readdirSync(join(out, day))) {
        const part = readdirSync(join(out, day, run)).find((f) => f.includes(`-${pid}-`) && f.endsWith('.jsonl') && !f.includes('.rejects.'));
        if (part) return readFileSync(join(out, day, run, part), 'utf8').split('\n').length - 1;
      }
    }
  } catch {
    // not there yet
  }
  return 0;
}

describe.skipIf(missing !== null)(`crawl --queue with workers${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('3 workers: every article once across the parts, each host spaced and capped at the server, robots.txt once per host', async () => {
    const site = await startTimedHosts(2, 12, 60);
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-polite');
      for (let i = 0; i < 3; i++) startWorker(state, out);
      const r = await runCli(['crawl', '-c', sources(site.hosts.map((h) => h.origin), '{ concurrency: 1, delay_ms: 150 }'), '--queue', bed.redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q'], { NEWSCLEAN_QUEUE_LOCK_MS: '2000' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('24 articles');
      const { ids, manifest } = runOutput(out);
      expect(ids).toHaveLength(24);
      expect(new Set(ids).size).toBe(24);
      expect(manifest).toMatchObject({ status: 'done', counts: { articles: 24 } });
      expect(manifest.parts.length).toBeGreaterThanOrEqual(2); // the work was really spread
      for (const h of site.hosts) {
        expect(h.starts).toHaveLength(12);
        expect(h.maxInFlight).toBe(1);
        expect(minGap(h.starts)).toBeGreaterThanOrEqual(140); // 150 ms start to start, a few ms of timer slack
        expect(h.robotsFetches).toBe(1);
      }
    } finally {
      await site.close();
    }
  });

  it('robots.txt Crawl-delay holds at the server across workers, robots.txt fetched once per host', async () => {
    const site = await startTimedHosts(1, 8, 20, 'User-agent: *\nCrawl-delay: 0.25\nAllow: /\n');
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-crawl-delay');
      for (let i = 0; i < 3; i++) startWorker(state, out);
      const r = await runCli(['crawl', '-c', sources([site.hosts[0]!.origin], '{ concurrency: 4, delay_ms: 0 }'), '--queue', bed.redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q'], { NEWSCLEAN_QUEUE_LOCK_MS: '2000' });
      expect(r.code, r.stderr).toBe(0);
      const host = site.hosts[0]!;
      expect(host.starts).toHaveLength(8);
      expect(minGap(host.starts)).toBeGreaterThanOrEqual(240);
      expect(host.robotsFetches).toBe(1);
      expect(runOutput(out).manifest.parts.length).toBeGreaterThanOrEqual(2);
    } finally {
      await site.close();
    }
  });

  it('a worker killed with SIGKILL mid-run and not restarted: its jobs are taken over, every article exactly once', async () => {
    const site = await startTimedHosts(3, 16, 150);
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-kill');
      // Every process archives into one shared WARC folder, as the README's compose setup does.
      const warc = ['--warc', join(out, 'warc')];
      const victim = startWorker(state, out, warc);
      startWorker(state, out, warc);
      startWorker(state, out, warc);
      const crawl = runCli(['crawl', '-c', sources(site.hosts.map((h) => h.origin), '{ concurrency: 4, delay_ms: 0 }'), '--queue', bed.redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q', ...warc], { NEWSCLEAN_QUEUE_LOCK_MS: '2000' });
      // Kill it once it has written two articles (it holds more jobs by then: 4 at a time).
      while (victimLines(out, victim.pid!) < 2) await new Promise((r) => setTimeout(r, 5));
      victim.kill('SIGKILL');
      const r = await crawl;
      expect(r.code, r.stderr).toBe(0);
      expect((await exited(victim)).signal).toBe('SIGKILL');
      const { ids, manifest, records } = runOutput(out);
      expect(new Set(ids).size).toBe(48);
      expect(ids).toHaveLength(48);
      // The victim really worked before it died: its part is in the run (and its torn tail, if any, was cut).
      expect(manifest.parts.some((p) => p.includes(`-${victim.pid}-`))).toBe(true);
      // The archive: each article points at its response, every file of every process passes the digest check, the manifest lists them all.
      const files = readdirSync(join(out, 'warc')).map((f) => join(out, 'warc', f)).sort();
      expect(files.length).toBeGreaterThanOrEqual(4); // the planner's and each worker's
      expect([...(manifest.warc ?? [])].sort()).toEqual(files);
      for (const f of files) checkWarc(f);
      for (const rec of records) {
        const member = gunzipSync(readFileSync(rec.warc.file).subarray(rec.warc.offset, rec.warc.offset + rec.warc.length)).toString('utf8');
        expect(member).toContain(`WARC-Target-URI: ${rec.url}\r\n`);
      }
    } finally {
      await site.close();
    }
  });

  it('--max-articles holds across workers: exactly that many articles in the union of the parts', async () => {
    const site = await startTimedHosts(2, 10, 40);
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-max');
      for (let i = 0; i < 3; i++) startWorker(state, out);
      const r = await runCli(['crawl', '-c', sources(site.hosts.map((h) => h.origin), '{ concurrency: 4, delay_ms: 0 }'), '--queue', bed.redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '--max-articles', '7', '-q'], { NEWSCLEAN_QUEUE_LOCK_MS: '2000' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('7 articles');
      const { ids } = runOutput(out);
      expect(ids).toHaveLength(7);
      expect(new Set(ids).size).toBe(7);
    } finally {
      await site.close();
    }
  });

  it('schedule with a queue: each site run planned on its cron (here --run-now), fetched by a worker, ended with its manifest', async () => {
    const site = await startTimedHosts(1, 5, 20);
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-schedule');
      startWorker(state, out);
      const file = join(bed.dir, 'sources-schedule.yaml');
      writeFileSync(file, `defaults: { per_host: { concurrency: 2, delay_ms: 0 }, schedule: "0 * * * *" }\nsites:\n  - name: harbour\n    sitemaps: ["${site.hosts[0]!.origin}/sitemap.xml"]\n`);
      const args = [CLI, 'schedule', '-c', file, '--run-now', '--status-port', '0', '--allow-private-networks', '--queue', bed.redis.url, '--state', state, '--output-dir', out, '-q'];
      const scheduler = spawn(process.execPath, args, { cwd: ROOT, env: env(), stdio: 'ignore' });
      bed.track(scheduler);
      const manifest = (): { status: string; counts: { articles: number } } | null => {
        try {
          return runOutput(out).manifest;
        } catch {
          return null;
        }
      };
      while (manifest() === null) await new Promise((r) => setTimeout(r, 50));
      expect(manifest()).toMatchObject({ status: 'done', counts: { articles: 5 } });
      expect(runOutput(out).ids).toHaveLength(5);
      scheduler.kill('SIGTERM');
      expect(await exited(scheduler)).toEqual({ code: 0, signal: null });
    } finally {
      await site.close();
    }
  });

  it('--no-wait plans and queues, then exits; the same command later waits for the same run and ends it', async () => {
    const site = await startTimedHosts(2, 6, 20);
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-nowait');
      const file = sources(site.hosts.map((h) => h.origin), '{ concurrency: 2, delay_ms: 0 }');
      const args = ['crawl', '-c', file, '--queue', bed.redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q'];
      const planned = await runCli([...args, '--no-wait']);
      expect(planned.code, planned.stderr).toBe(0);
      expect(planned.stderr).toMatch(/interrupted \(the same command resumes it\)/);
      expect(site.hosts.every((h) => h.starts.length === 0)).toBe(true); // nothing fetched: no worker yet
      startWorker(state, out);
      const ended = await runCli(args);
      expect(ended.code, ended.stderr).toBe(0);
      expect(ended.stderr).toMatch(/12 articles.*resumed/);
      const { ids, manifest } = runOutput(out);
      expect(manifest.status).toBe('done');
      expect(ids).toHaveLength(12);
    } finally {
      await site.close();
    }
  });

  it('SIGTERM: the worker finishes what it holds and exits 0', async () => {
    const w = startWorker(bed.pg.newDatabase(), join(bed.dir, 'out-term'));
    await new Promise((r) => setTimeout(r, 1500));
    w.kill('SIGTERM');
    expect(await exited(w)).toEqual({ code: 0, signal: null });
  });

  it('no Redis at the URL: worker and crawl --queue exit 4 with one line naming it, password masked', async () => {
    const url = 'redis://:sekrit@127.0.0.1:1';
    const w = await runCli(['worker', '--queue', url, '--state', join(bed.dir, 'w.db'), '--output-dir', join(bed.dir, 'out-none'), '-q']);
    expect(w.code).toBe(4);
    expect(w.stderr.trim().split('\n')).toHaveLength(1);
    expect(w.stderr).toMatch(/QUEUE_UNAVAILABLE: queue redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(w.stderr).not.toContain('sekrit');
    const c = await runCli(['crawl', '-c', sources(['http://127.0.0.1:9'], '{ concurrency: 1 }'), '--queue', url, '--state', join(bed.dir, 'c.db'), '--output-dir', join(bed.dir, 'out-none'), '-q']);
    expect(c.code).toBe(4);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toContain('QUEUE_UNAVAILABLE');
    expect(c.stderr).not.toContain('sekrit');
  });
});
