#!/usr/bin/env node
// Scale-out benchmark (issue 22): the same queued crawl (`crawl --queue`) with
// 1, 2 and 4 `newsclean worker` processes, on a real Redis and PostgreSQL
// (Debian's packages, started here on free ports), against loopback hosts
// that answer each page after 200 ms (latency-bound, as crawling real sites
// is). Prints wall time per worker count and its ratio to one worker
// (targets: 2 workers <= 0.6x, 4 workers <= 0.35x), each worker's peak RSS,
// and what the PostgreSQL state takes per URL (extrapolated per million).
//
//   npm run bench:workers
//   npm run bench:workers -- --hosts 8 --pages 30 --latency 200 --concurrency 4 --workers 1,2,4 --state-urls 20000
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPoliteHosts } from './lib/polite-hosts.mjs';
import { postgresBin, redisBin, startPostgres, startRedis } from './lib/real-servers.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'dist', 'cli.js');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const HOSTS = Number(arg('hosts', 8));
const PAGES = Number(arg('pages', 30));
const LATENCY = Number(arg('latency', 200));
const CONCURRENCY = Number(arg('concurrency', 4));
const COUNTS = String(arg('workers', '1,2,4')).split(',').map(Number);
const STATE_URLS = Number(arg('state-urls', 20000));

if (!postgresBin() || !redisBin()) {
  console.error('bench:workers needs Debian\'s redis-server and postgresql (apt-get install redis-server postgresql)');
  process.exit(2);
}

const rssKb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
/** Commands Redis has processed so far (INFO stats), read with redis-cli. */
const redisCommands = (redis) => {
  const port = new URL(redis.url).port;
  const info = execFileSync('redis-cli', ['-p', port, 'info', 'stats'], { encoding: 'utf8' });
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
};
/** CPU seconds a process has used so far (user + system, from /proc). */
const cpuSeconds = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
const exited = (child) => (child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code))));

async function runWith(n, redis, pg, hosts, tmp) {
  const state = pg.newDatabase();
  const out = join(tmp, `out-${n}`);
  const env = { ...process.env };
  const workers = Array.from({ length: n }, () =>
    spawn(process.execPath, [cli, 'worker', '--queue', redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '--threads', '0', '--concurrency', String(CONCURRENCY), '-q'], { env, stdio: 'ignore' }),
  );
  await new Promise((r) => setTimeout(r, 2500)); // workers up and listening
  const peaks = workers.map(() => 0);
  const sampler = setInterval(() => workers.forEach((w, i) => (peaks[i] = Math.max(peaks[i], rssKb(w.pid)))), 100);
  const sources = join(tmp, 'sources.yaml');
  writeFileSync(sources, `defaults: { per_host: { concurrency: ${CONCURRENCY}, delay_ms: 0 } }\nsites:\n${hosts.origins.map((o, i) => `  - name: h${i}\n    sitemaps: ["${o}/sitemap.xml"]\n`).join('')}`);
  const commandsBefore = redisCommands(redis);
  const cpuBefore = workers.map((w) => cpuSeconds(w.pid));
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const t0 = performance.now();
  const crawl = spawn(process.execPath, [cli, 'crawl', '-c', sources, '--queue', redis.url, '--state', state, '--output-dir', out, '--allow-private-networks', '-q'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  crawl.stderr.on('data', (d) => (stderr += d));
  const code = await exited(crawl);
  const seconds = (performance.now() - t0) / 1000;
  const workerCpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.pid) - cpuBefore[i], 0);
  clearInterval(sampler);
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map(exited));
  if (code !== 0) throw new Error(`crawl with ${n} workers exited ${code}: ${stderr}`);
  const commands = redisCommands(redis) - commandsBefore;
  return { n, seconds, peaksMb: peaks.map((kb) => kb / 1024), summary: stderr.trim().split('\n').at(-1), commandsPerPage: commands / (HOSTS * PAGES), workerCpu, load };
}

/** PostgreSQL bytes per URL: newsclean's tables after STATE_URLS exported URLs (with their texts and near-duplicate signatures), minus empty. */
async function stateSize(pg) {
  const url = pg.newDatabase();
  const { openPostgresState } = await import(join(repo, 'dist', 'state', 'postgres', 'store.js'));
  const store = openPostgresState(url);
  const size = () => store.admin.sizes().total;
  const empty = size();
  const t0 = performance.now();
  for (let i = 0; i < STATE_URLS; i += 500) {
    store.transaction(() => {
      for (let j = i; j < Math.min(STATE_URLS, i + 500); j++) {
        const key = `https://news.example.org/2026/11/${j}/a-story-of-the-day-${j}.html`;
        store.markExported({ key, url: key, site: 'example', at: Date.now(), attempts: 1, runId: 'crawl-20261204T000000Z-abcdef', etag: `"${j.toString(16)}"`, lastModified: 'Thu, 03 Dec 2026 10:00:00 GMT', contentHash: `sha256:${j.toString(16).padStart(64, '0')}`, articleId: j.toString(16).padStart(16, '0'), version: 1 });
        store.addContent(`sha256:${j.toString(16).padStart(64, '0')}`, j.toString(16).padStart(16, '0'), key);
        // A near-duplicate signature per article, as a run with clustering on (the default) keeps: 128 hashes x 4 bytes.
        store.addCluster(j.toString(16).padStart(16, '0'), j.toString(16).padStart(16, '0'), randomBytes(512), Date.now());
      }
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  store.admin.db.exec('VACUUM ANALYZE');
  const full = size();
  store.close();
  return { perUrl: (full - empty) / STATE_URLS, writesPerS: STATE_URLS / seconds };
}

const tmp = mkdtempSync(join(tmpdir(), 'nc-bench-workers-'));
const [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
const hosts = await startPoliteHosts({ hosts: HOSTS, pages: PAGES, latencyMs: LATENCY });
try {
  console.log(`${HOSTS} hosts x ${PAGES} pages, ${LATENCY} ms per page, ${CONCURRENCY} jobs per worker, per-host cap ${CONCURRENCY}; ${availableParallelism()} cores; node ${process.version}`);
  const rows = [];
  for (const n of COUNTS) {
    const r = await runWith(n, redis, pg, hosts, tmp);
    rows.push(r);
    const base = rows[0].seconds;
    console.log(`${String(n).padStart(2)} worker${n > 1 ? 's' : ' '}  ${r.seconds.toFixed(2).padStart(6)} s  ${(r.seconds / base).toFixed(2)}x of 1 worker  peak RSS per worker ${r.peaksMb.map((m) => m.toFixed(0)).join(', ')} MB  Redis commands per page ${r.commandsPerPage.toFixed(1)}  workers' CPU ${r.workerCpu.toFixed(1)} s (${(r.workerCpu / r.seconds).toFixed(2)} cores)  load before ${r.load}  (${r.summary})`);
  }
  if (STATE_URLS > 0) {
    const s = await stateSize(pg);
    console.log(`PostgreSQL state: ${s.perUrl.toFixed(0)} bytes per exported URL (URL rows, texts, near-duplicate signatures, indexes; ${STATE_URLS} URLs): ${((s.perUrl * 1e6) / 1024 ** 3).toFixed(2)} GiB per million URLs; ${s.writesPerS.toFixed(0)} URLs/s written through the store`);
  }
} finally {
  await hosts.close();
  await redis.stop();
  pg.stop();
  rmSync(tmp, { recursive: true, force: true });
}
