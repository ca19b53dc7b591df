/**
 * Faults under a queued crawl, with real servers (Redis and PostgreSQL from
 * Debian's packages) and dist/cli.js: Redis restarted mid-run (workers and
 * the coordinator reconnect, no job lost with AOF on); a worker whose output
 * folder cannot be written stops taking jobs and says why while the others
 * finish the run; PostgreSQL down when a worker starts (exit 4, one line,
 * password masked); PostgreSQL stopped mid-run and started again (jobs fail,
 * retry, and every article ends once).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_MS, exited, queueTestbed } from './helpers/queue-testbed.js';
import { jsonLines, runCli } from './helpers/run-cli.js';
import { startTimedHosts } from './helpers/timed-site.js';
import { mountTmpfs, tmpfsAvailable } from './helpers/tmpfs.js';

const bed = queueTestbed('nc-queue-faults-');
const { missing, startWorker } = bed;

function crawl(origins: string[], state: string, out: string): Promise<{ code: number | null; stderr: string }> {
  const sources = bed.sources(origins, '{ concurrency: 4, delay_ms: 0 }', 'h');
  return runCli(['crawl', '-c', sources, '--queue', bed.redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q'], { NEWSCLEAN_QUEUE_LOCK_MS: LOCK_MS });
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
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-redis');
      startWorker(state, out);
      startWorker(state, out);
      const run = crawl(site.hosts.map((h) => h.origin), state, out);
      await until(() => pagesStarted(site.hosts) >= 8);
      await bed.redis.restart();
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
    const readOnly = join(bed.dir, 'ro');
    const unmount = mountTmpfs(readOnly, { sizeKb: 64, readOnly: true });
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-good');
      const bad = startWorker(state, readOnly);
      const run = crawl(site.hosts.map((h) => h.origin), state, out);
      expect((await exited(bad)).code).toBe(74);
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
    const r = await runCli(['worker', '--queue', bed.redis.url, '--state', 'postgres://newsclean:hunter2@127.0.0.1:1/news', '--output-dir', join(bed.dir, 'out-nopg'), '-q']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/STATE_UNAVAILABLE: state store postgres:\/\/newsclean:\*\*\*@127\.0\.0\.1:1\/news/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('PostgreSQL stopped mid-run and started again: jobs fail and retry; every article ends exactly once', async () => {
    const site = await startTimedHosts(2, 12, 100);
    try {
      const state = bed.pg.newDatabase();
      const out = join(bed.dir, 'out-pg');
      startWorker(state, out);
      startWorker(state, out);
      const run = crawl(site.hosts.map((h) => h.origin), state, out);
      await until(() => pagesStarted(site.hosts) >= 6);
      bed.pg.restart();
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
