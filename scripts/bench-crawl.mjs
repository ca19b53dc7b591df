// Crawl benchmark: a loopback site of generated article pages
// (scripts/lib/bench-site-server.mjs, its own process) crawled end to end
// (robots.txt, sitemap index, fetch, clean on the worker pool, JSONL export)
// at 2,000 and 10,000 pages. Prints pages/s, p50/p95 fetch-to-export latency
// and peak RSS per size, beside the single-thread `newsclean extract`
// throughput on the same generated pages read from disk (the baseline the
// target is stated against) and, for context, processPage from memory in one
// and in all cores' worker threads. Each size runs in a fresh process so RSS
// is its own.
//
//   npm run bench:crawl                 # 2000 and 10000 pages
//   BENCH_CRAWL_SIZES=500 npm run bench:crawl
//   BENCH_CRAWL_REPEAT=1 npm run bench:crawl   # one baseline/crawl pair per size (default 3)
//
// Politeness scenario (many hosts, each with a per-host delay; issue 19): one
// loopback server per host (scripts/lib/polite-hosts.mjs), each with a
// sitemap of `pages` pages answered after `latency` ms; prints wall time,
// requests in flight at the servers (max and time-weighted mean) and the
// smallest start-to-start gap seen on any host.
//
//   npm run bench:crawl -- --politeness [--hosts 50] [--pages 20] [--delay 500] [--latency 100] [--concurrency 8] [--per-host 2] [--threads N]
//   BENCH_CRAWL_DIST=/path/to/other/dist npm run bench:crawl -- --politeness   # measure another build (before/after)
//
// Archive cost (issue 23): the same crawl with and without --warc, alternated
// BENCH_CRAWL_REPEAT times (default 3), medians of pages/s and CPU, and the
// archive's bytes per page.
//
//   npm run bench:crawl -- --warc [--pages 2000]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { articleHtml } from './lib/generated-site.mjs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = fileURLToPath(import.meta.url);
const sizes = (process.env.BENCH_CRAWL_SIZES ?? '2000,10000').split(',').map(Number);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** CPU seconds (user + system) a live process has used so far, from /proc; null elsewhere. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
  } catch {
    return null;
  }
}

/** One crawl of `pages` pages, in this process; prints one JSON line. */
async function runOne(pages) {
  const { defaultConfig } = await import('../dist/config/schema.js');
  const { crawl } = await import('../dist/crawl/index.js');
  const { createCrawlDeps } = await import('../dist/crawl/deps.js');
  const { silentLogger } = await import('../dist/shared/log.js');
  const { openJsonl } = await import('../dist/stages/export/jsonl-writer.js');

  const server = spawn(process.execPath, [fileURLToPath(new URL('./lib/bench-site-server.mjs', import.meta.url)), String(pages)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve));

  const config = defaultConfig();
  config.fetch = { ...config.fetch, allowPrivateNetworks: true, concurrency: 16, perHost: { concurrency: 16, delayMs: 0 } };
  const warcDir = process.env.BENCH_CRAWL_WARC_DIR;
  if (warcDir) config.output.warc = warcDir;
  const latencies = [];
  // Start-up (worker threads loading modules, rule files and the language
  // model) is timed apart, as `extract` times itself after loading its own.
  const tStart = performance.now();
  const deps = { ...createCrawlDeps(config, silentLogger, Number(process.env.BENCH_CRAWL_THREADS ?? availableParallelism()), { runId: `bench-${pages}` }), onPageDone: (_url, ms) => latencies.push(ms) };
  await deps.pool.ready;
  const startupSeconds = (performance.now() - tStart) / 1000;
  const site = { name: 'bench', enabled: true, feeds: [], sitemaps: [`${origin}/sitemap.xml`], startUrls: [], follow: { allow: [], deny: [], maxDepth: 0 }, maxArticles: null, hosts: ['127.0.0.1'], perHost: null, userAgent: null };

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const out = openJsonl(`output/bench-crawl-${pages}.jsonl`);
  let articles = 0;
  let rejects = 0;
  const t0 = performance.now();
  for await (const o of crawl({ sites: [site], urls: [], maxArticles: null, since: null }, deps).outcomes) {
    if (o.ok) {
      articles++;
      await out.write(o.record);
    } else rejects++;
  }
  await out.close();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const crawlCpu = process.cpuUsage();
  const serverCpu = cpuSecondsOf(server.pid);
  await deps.close();
  server.kill('SIGTERM');
  latencies.sort((a, b) => a - b);
  const warcBytes = warcDir ? readdirSync(warcDir).reduce((n, f) => n + statSync(join(warcDir, f)).size, 0) : 0;
  console.log(JSON.stringify({ pages, warcBytes, articles, rejects, seconds, startupSeconds, perSecond: articles / seconds, coldPerSecond: articles / (seconds + startupSeconds), p50: pct(latencies, 50), p95: pct(latencies, 95), peakRss: peak, crawlCpu: (crawlCpu.user + crawlCpu.system) / 1e6, serverCpu }));
}

/**
 * The baseline: `newsclean extract` (single thread) on the same generated
 * pages written to a temporary directory, timed by the command itself (file
 * reads, clean, JSONL export; module loading excluded, as for the crawl).
 */
function extractCommandBaseline(dir) {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('../dist/cli.js', import.meta.url)), 'extract', dir, '-o', join(dir, 'out.jsonl'), '--rejects', join(dir, 'rejects.jsonl')], { encoding: 'utf8' });
  const m = /(\d+) articles, (\d+) rejects, ([\d.]+) s/.exec(run.stderr);
  if (run.status !== 0 || !m) throw new Error(`extract baseline failed (exit ${run.status}): ${run.stderr.trim()}`);
  return Number(m[1]) / Number(m[3]);
}

/** The generated pages as files, for the baseline. */
function writePages(pages) {
  const dir = mkdtempSync(join(tmpdir(), 'newsclean-bench-crawl-'));
  for (let n = 0; n < pages; n++) writeFileSync(join(dir, `${n}.html`), articleHtml(n));
  return dir;
}

/**
 * Context for the target: processPage in a tight loop over in-memory pages,
 * in 1 and in N worker threads at once (no fetching, no server). The N-thread
 * figure is the most any crawl could reach on this machine.
 */
async function inMemoryClean(pages, threads) {
  const rates = await Promise.all(
    Array.from({ length: threads }, (_, i) => new Promise((resolve, reject) => {
      const w = new Worker(here, { argv: ['--clean-loop', String(pages), String(i), String(threads)] });
      w.once('message', resolve);
      w.once('error', reject);
    })),
  );
  return rates.reduce((a, b) => a + b, 0);
}

async function cleanLoop(pages, offset, stride) {
  const { defaultConfig } = await import('../dist/config/schema.js');
  const { createContext, processPage } = await import('../dist/stages/pipeline.js');
  const ctx = createContext(defaultConfig());
  const inputs = Array.from({ length: pages }, (_, k) => {
    const n = k * stride + offset;
    return { source: `${n}.html`, url: `http://127.0.0.1/${n}.html`, bytes: Buffer.from(articleHtml(n)) };
  });
  for (const p of inputs.slice(0, 200)) processPage(p, ctx); // warm-up
  const t0 = performance.now();
  for (const p of inputs) processPage(p, ctx);
  return pages / ((performance.now() - t0) / 1000);
}

function child(pages, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [here, '--run', String(pages)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`crawl of ${pages} pages exited ${code}`))));
  });
}

/** The flags of the politeness scenario, with the defaults of the issue's report. */
function politenessArgs(argv) {
  const flag = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return {
    hosts: flag('hosts', 50),
    pages: flag('pages', 20),
    delayMs: flag('delay', 500),
    latencyMs: flag('latency', 100),
    concurrency: flag('concurrency', 8),
    perHost: flag('per-host', 2),
    threads: flag('threads', availableParallelism()),
  };
}

/** Many hosts, each polite-limited: does the crawl keep its fetch slots busy? */
async function runPoliteness(args) {
  const dist = process.env.BENCH_CRAWL_DIST ? new URL(`file://${process.env.BENCH_CRAWL_DIST.replace(/\/?$/, '/')}`) : new URL('../dist/', import.meta.url);
  const { defaultConfig } = await import(new URL('config/schema.js', dist).href);
  const { crawl } = await import(new URL('crawl/index.js', dist).href);
  const { createCrawlDeps } = await import(new URL('crawl/deps.js', dist).href);
  const { silentLogger } = await import(new URL('log.js', dist).href);
  // The servers run in a process of their own, so the crawler's work cannot delay their arrival stamps.
  const serverProcess = spawn(process.execPath, [fileURLToPath(new URL('./lib/polite-hosts.mjs', import.meta.url)), JSON.stringify({ hosts: args.hosts, pages: args.pages, latencyMs: args.latencyMs })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: serverProcess.stdout })[Symbol.asyncIterator]();
  const server = JSON.parse((await lines.next()).value);
  const config = defaultConfig();
  config.fetch = { ...config.fetch, allowPrivateNetworks: true, concurrency: args.concurrency, perHost: { concurrency: args.perHost, delayMs: args.delayMs } };
  const deps = createCrawlDeps(config, silentLogger, args.threads);
  await deps.pool.ready;
  const sites = server.origins.map((origin, i) => ({
    name: `host${i}`, enabled: true, feeds: [], sitemaps: [`${origin}/sitemap.xml`], startUrls: [],
    follow: { allow: [], deny: [], maxDepth: 0 }, maxArticles: null, hosts: ['127.0.0.1'], perHost: null, userAgent: null, schedule: null,
  }));
  let articles = 0;
  let rejects = 0;
  const t0 = performance.now();
  for await (const o of crawl({ sites, urls: [], maxArticles: null, since: null }, deps).outcomes) {
    if (o.ok) articles++;
    else rejects++;
  }
  const seconds = (performance.now() - t0) / 1000;
  await deps.close();
  serverProcess.stdin.write('report\n');
  const { all: busy, pages: pageBusy, minGap, smallest } = JSON.parse((await lines.next()).value);
  // The floor: every request of a host spaced by the delay, or all requests through the slots back to back.
  const requestsPerHost = args.pages + 2; // robots.txt, sitemap.xml, pages
  const floor = Math.max(((requestsPerHost - 1) * args.delayMs + args.latencyMs) / 1000, (args.hosts * requestsPerHost * args.latencyMs) / args.concurrency / 1000);
  console.log(
    `politeness: ${args.hosts} hosts x ${args.pages} pages, delay ${args.delayMs} ms, latency ${args.latencyMs} ms, fetch.concurrency ${args.concurrency}, perHost.concurrency ${args.perHost}, ${args.threads} clean threads (${dist.pathname})\n` +
      `  ${articles} articles, ${rejects} rejects in ${seconds.toFixed(1)} s (floor ~${floor.toFixed(1)} s); in flight at the servers: max ${busy.max}, mean ${busy.mean.toFixed(2)} of ${args.concurrency} (pages only: max ${pageBusy.max}, mean ${pageBusy.mean.toFixed(2)}); smallest per-host start-to-start gap ${minGap.toFixed(1)} ms (${smallest ? `host ${smallest.host}, ${smallest.from} -> ${smallest.to}` : 'none'})`,
  );
}

if (process.argv.includes('--politeness')) {
  console.log(`bench:crawl --politeness on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`);
  await runPoliteness(politenessArgs(process.argv));
  process.exit(0);
}

/** The crawl with and without a WARC archive, alternated; medians. */
async function runArchiveCost(pages, repeat) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const runs = { plain: [], warc: [] };
  for (let k = 0; k < repeat; k++) {
    runs.plain.push(await child(pages));
    const dir = mkdtempSync(join(tmpdir(), 'newsclean-bench-warc-'));
    try {
      runs.warc.push(await child(pages, { BENCH_CRAWL_WARC_DIR: dir }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [a, b] = [runs.plain.at(-1), runs.warc.at(-1)];
    console.log(`run ${k + 1}/${repeat}: without ${a.perSecond.toFixed(1)} pages/s (CPU ${a.crawlCpu.toFixed(1)} s), with --warc ${b.perSecond.toFixed(1)} pages/s (CPU ${b.crawlCpu.toFixed(1)} s, ${(b.warcBytes / 2 ** 20).toFixed(1)} MB archived), peak RSS ${(a.peakRss / 2 ** 20).toFixed(0)} / ${(b.peakRss / 2 ** 20).toFixed(0)} MB`);
  }
  const [p, w] = [median(runs.plain.map((r) => r.perSecond)), median(runs.warc.map((r) => r.perSecond))];
  const [pc, wc] = [median(runs.plain.map((r) => r.crawlCpu)), median(runs.warc.map((r) => r.crawlCpu))];
  const bytes = median(runs.warc.map((r) => r.warcBytes / r.articles));
  console.log(`${pages} pages, median of ${repeat}: ${p.toFixed(1)} pages/s without, ${w.toFixed(1)} with --warc (${((w / p - 1) * 100).toFixed(1)}%); crawler CPU ${pc.toFixed(1)} s vs ${wc.toFixed(1)} s (${((wc / pc - 1) * 100).toFixed(1)}%); archive ${(bytes / 1024).toFixed(1)} KB per page`);
}

if (process.argv.includes('--warc')) {
  const i = process.argv.indexOf('--pages');
  const pages = i >= 0 ? Number(process.argv[i + 1]) : 2000;
  console.log(`bench:crawl --warc on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`);
  await runArchiveCost(pages, Number(process.env.BENCH_CRAWL_REPEAT ?? 3));
  process.exit(0);
}

if (!isMainThread) {
  const [, pages, offset, stride] = process.argv.slice(2).map(Number);
  parentPort.postMessage(await cleanLoop(pages, offset, stride));
  process.exit(0);
}
if (process.argv[2] === '--run') {
  await runOne(Number(process.argv[3]));
  process.exit(0);
}

console.log(`bench:crawl on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, worker threads ${availableParallelism()}`);
const [one, all] = [await inMemoryClean(2000, 1), await inMemoryClean(2000, availableParallelism())];
console.log(`context: processPage from memory, no I/O: 1 thread ${one.toFixed(1)} pages/s, ${availableParallelism()} threads ${all.toFixed(1)} pages/s (${(all / one).toFixed(2)}x; the ceiling for any crawl here)`);
// The shared machine's speed drifts by 20 % and more between minutes, so each
// size runs baseline and crawl back to back `repeat` times and reports medians
// (the ratio is the median of the paired ratios) with the range.
const repeat = Number(process.env.BENCH_CRAWL_REPEAT ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
const results = [];
for (const pages of sizes) {
  const dir = writePages(pages);
  const pairs = [];
  try {
    for (let k = 0; k < repeat; k++) {
      const baseline = extractCommandBaseline(dir);
      const r = await child(pages);
      pairs.push({ baseline, ...r });
      console.log(
        `${String(pages).padStart(6)} pages, run ${k + 1}/${repeat}: extract ${baseline.toFixed(1)} pages/s; crawl ${r.articles} articles, ${r.rejects} rejects in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)} pages/s ` +
          `(${(r.perSecond / baseline).toFixed(2)}x; with the ${r.startupSeconds.toFixed(2)} s worker start-up ${r.coldPerSecond.toFixed(1)} pages/s = ${(r.coldPerSecond / baseline).toFixed(2)}x)  ` +
          `fetch-to-export p50 ${r.p50.toFixed(0)} ms p95 ${r.p95.toFixed(0)} ms  peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MB  CPU: crawler ${r.crawlCpu.toFixed(1)} s, server ${r.serverCpu?.toFixed(1) ?? '?'} s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratios = pairs.map((p) => p.perSecond / p.baseline);
  const cold = pairs.map((p) => p.coldPerSecond / p.baseline);
  const summary = { pages, peakRss: Math.max(...pairs.map((p) => p.peakRss)) };
  results.push(summary);
  console.log(
    `${String(pages).padStart(6)} pages, median of ${repeat}: extract ${median(pairs.map((p) => p.baseline)).toFixed(1)} pages/s, crawl ${median(pairs.map((p) => p.perSecond)).toFixed(1)} pages/s = ` +
      `${median(ratios).toFixed(2)}x extract (range ${range(ratios)}; target >= 1.3x), with worker start-up ${median(cold).toFixed(2)}x (range ${range(cold)}); ` +
      `p50 ${median(pairs.map((p) => p.p50)).toFixed(0)} ms p95 ${median(pairs.map((p) => p.p95)).toFixed(0)} ms; peak RSS max ${(summary.peakRss / 2 ** 20).toFixed(0)} MB (target < 400 MB)`,
  );
}
if (results.length >= 2) {
  const [a, b] = [results[0], results.at(-1)];
  console.log(`peak RSS (max over runs) at ${b.pages} vs ${a.pages} pages: ${((b.peakRss / a.peakRss - 1) * 100).toFixed(1)}% (target within 15%)`);
}
