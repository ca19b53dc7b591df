// State store benchmark: a store of 1,000,000 URLs (~200 hosts, dated article
// paths; mostly exported with validators, hash and article id, some failed,
// rejected, given up) built through the store API in transactions of 10,000,
// then closed and reopened. Prints inserts/s, time to open, database size
// (and per URL), random getUrl lookups/s (90% hits), single-row autocommit
// upserts/s (a crawl marks each page as it goes), `state stats` time, and the
// near-duplicate clustering time for 100,000 articles
// (scripts/lib/cluster-bench.mjs).
//
//   npm run build && npm run bench:state
//   BENCH_STATE_URLS=100000 BENCH_STATE_CLUSTER=10000 npm run bench:state   # quick
//   BENCH_STATE_PRAGMAS="cache_size=-65536,mmap_size=1073741824" npm run bench:state   # try settings
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET_LOOKUPS = 50_000;
const TARGET_CLUSTER_SECONDS = 60;

const N = Number(process.env.BENCH_STATE_URLS ?? 1_000_000);
const BATCH = 10_000;
const LOOKUPS = Number(process.env.BENCH_STATE_LOOKUPS ?? 200_000);
const SINGLE = Number(process.env.BENCH_STATE_SINGLE ?? 20_000);
const CLUSTER_N = Number(process.env.BENCH_STATE_CLUSTER ?? 100_000);
/** Extra pragmas applied after every openState, to try store.ts settings: BENCH_STATE_PRAGMAS="cache_size=-65536,mmap_size=1073741824". */
const PRAGMAS = (process.env.BENCH_STATE_PRAGMAS ?? '').split(',').map((p) => p.trim()).filter(Boolean);

const storeJs = fileURLToPath(new URL('../dist/state/store.js', import.meta.url));
if (!existsSync(storeJs)) {
  console.error('bench:state needs the compiled code: run `npm run build` first (dist/state/store.js is missing).');
  process.exit(1);
}
const { openState: openStore } = await import('../dist/state/store.js');
const openState = (p) => {
  const s = openStore(p);
  for (const pragma of PRAGMAS) s.db.pragma(pragma);
  return s;
};
const admin = existsSync(fileURLToPath(new URL('../dist/state/admin.js', import.meta.url))) ? await import('../dist/state/admin.js') : null;

const int = (n) => Math.round(n).toLocaleString('en-US');
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const sizeOf = (path) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};
const ok = (good) => (good ? 'ok' : 'MISSED');

/** A 32-bit integer hash (murmur3 fmix32): URL i is a pure function of i, so lookups need no list of keys. */
function mix(x) {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const WORDS = ['الحكومة', 'economy', 'election', 'market', 'minister', 'football', 'weather', 'health', 'oil', 'prices', 'summit', 'court', 'budget', 'storm', 'school', 'energy', 'bank', 'water', 'city', 'talks', 'report', 'crisis', 'deal', 'vote'];
const ASCII_WORDS = WORDS.filter((w) => /^[a-z]+$/.test(w));
const SECTIONS = ['politics', 'economy', 'sport', 'world', 'local', 'culture', 'tech', 'opinion', 'health', 'science'];
const TLDS = ['com', 'net', 'org', 'news', 'co.uk', 'com.sa', 'ae', 'com.eg', 'ma', 'info'];
const HOSTS = Array.from({ length: 200 }, (_, h) => {
  const r = mix(h + 7777);
  return `${r % 3 === 0 ? 'www.' : r % 3 === 1 ? 'news.' : ''}${ASCII_WORDS[r % ASCII_WORDS.length]}-${ASCII_WORDS[(r >>> 8) % ASCII_WORDS.length]}${h}.${TLDS[(r >>> 16) % TLDS.length]}`;
});
const DAY = 86_400_000;
const T0 = Date.UTC(2023, 0, 1);

/** URL number i: canonical key, as-seen URL, site, a plausible fetch time. */
function urlOf(i) {
  const r = mix(i + 1);
  const r2 = mix(r ^ 0x9e3779b9);
  const hostIdx = r % HOSTS.length;
  const host = HOSTS[hostIdx];
  const at = T0 + (r2 % 700) * DAY + (r % DAY);
  const d = new Date(at);
  const ymd = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  const slug = [0, 1, 2, 3].slice(0, 2 + (r2 % 3)).map((k) => ASCII_WORDS[(mix(r2 + k) >>> 3) % ASCII_WORDS.length]).join('-');
  const key = `https://${host}/${SECTIONS[(r >>> 12) % SECTIONS.length]}/${ymd}/${slug}-${i}.html`;
  const url = r2 % 4 === 0 ? `${key}?utm_source=rss&utm_medium=feed` : key;
  return { key, url, site: `site${hostIdx}`, at };
}

const CODES_FINAL = ['NOT_AN_ARTICLE', 'HTTP_404', 'HTTP_410', 'NOT_HTML', 'ROBOTS_DISALLOWED'];
const CODES_TRANSIENT = ['FETCH_TIMEOUT', 'HTTP_503', 'FETCH_FAILED', 'TRUNCATED_BODY'];
const retry = { maxRuns: 3, baseDelayMs: 3_600_000, maxDelayMs: 7 * DAY };
const giveUp = { ...retry, maxRuns: 1 };

/** Write URL i: 85% exported, 7% failed, 6% rejected, 2% given up. */
function write(store, i, runId, version = 1) {
  const u = urlOf(i);
  const kind = mix(i ^ 0x51ed27) % 100;
  if (kind < 85) {
    const h = mix(i * 31 + version).toString(16).padStart(8, '0');
    store.markExported({
      ...u,
      attempts: 1,
      runId,
      etag: kind % 3 === 0 ? null : `W/"${h}${i.toString(16)}"`,
      lastModified: kind % 2 === 0 ? new Date(u.at - 3_600_000).toUTCString() : null,
      contentHash: `sha256:${h.repeat(8)}`,
      articleId: `${h}${mix(i).toString(16).padStart(8, '0')}`,
      version,
    });
    return 'exported';
  }
  if (kind < 92) return store.markFailed({ ...u, attempts: 3, code: CODES_TRANSIENT[i % CODES_TRANSIENT.length], transient: true }, retry);
  if (kind < 98) return store.markFailed({ ...u, attempts: 1, code: CODES_FINAL[i % CODES_FINAL.length], transient: false }, retry);
  return store.markFailed({ ...u, attempts: 3, code: 'FETCH_TIMEOUT', transient: true }, giveUp);
}

/** Bytes per table and index, if this SQLite has the dbstat table. */
function tableSizes(db) {
  try {
    return db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all();
  } catch {
    return null;
  }
}

console.log(
  `bench:state on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, ${int(N)} URLs on ${HOSTS.length} hosts` +
    (PRAGMAS.length > 0 ? `, extra pragmas: ${PRAGMAS.join(', ')}` : ''),
);

const dir = mkdtempSync(join(tmpdir(), 'nc-bench-state-'));
const path = join(dir, 'state.db');
let store;
try {
  // 1. Build: the store API, transactions of BATCH.
  store = openState(path);
  const runId = 'bench-run-1';
  store.beginRun({ run_id: runId, command: 'crawl', plan_hash: 'bench', started_at: Date.now(), records_path: null, rejects_path: null, manifest_path: null, owner_pid: process.pid, owner_host: null });
  const statuses = { exported: 0, failed: 0, rejected: 0, gave_up: 0 };
  let cpu0 = process.cpuUsage();
  const cpuSeconds = () => {
    const c = process.cpuUsage(cpu0);
    return (c.user + c.system) / 1e6;
  };
  let t = performance.now();
  for (let start = 0; start < N; start += BATCH) {
    const end = Math.min(N, start + BATCH);
    store.transaction(() => {
      for (let i = start; i < end; i++) statuses[write(store, i, runId)]++;
    });
  }
  const insertSeconds = (performance.now() - t) / 1000;
  const insertCpu = cpuSeconds();
  console.log(`inserts (markExported/markFailed, transactions of ${int(BATCH)}): ${int(N / insertSeconds)}/s (${int(N)} URLs in ${insertSeconds.toFixed(1)} s, ${insertCpu.toFixed(1)} CPU s; ${Object.entries(statuses).map(([k, v]) => `${k} ${int(v)}`).join(', ')})`);

  // The exact-duplicate memory a crawl writes beside every exported URL.
  t = performance.now();
  let contents = 0;
  for (let start = 0; start < N; start += BATCH) {
    const end = Math.min(N, start + BATCH);
    store.transaction(() => {
      for (let i = start; i < end; i++) {
        if (mix(i ^ 0x51ed27) % 100 >= 85) continue;
        const h = mix(i * 31 + 1).toString(16).padStart(8, '0');
        store.addContent(`sha256:${h.repeat(7)}${i.toString(16).padStart(8, '0')}`, `${h}${mix(i).toString(16).padStart(8, '0')}`, urlOf(i).key);
        contents++;
      }
    });
  }
  const contentSeconds = (performance.now() - t) / 1000;
  console.log(`contents rows (addContent, same batches): ${int(contents / contentSeconds)}/s (${int(contents)} in ${contentSeconds.toFixed(1)} s)`);
  store.endRun(runId, 'done', Date.now(), statuses);
  store.close();

  // 2. Reopen: open + migrations check.
  t = performance.now();
  store = openState(path);
  const openMs = performance.now() - t;
  const firstGet = performance.now();
  store.getUrl(urlOf(0).key);
  const firstGetMs = performance.now() - firstGet;
  console.log(`time to open: ${openMs.toFixed(1)} ms (openState incl. migrations check; first lookup after it ${firstGetMs.toFixed(2)} ms)`);
  const dbBytes = sizeOf(path);
  const walBytes = sizeOf(`${path}-wal`);
  console.log(`database size: ${mb(dbBytes)} MB (+ ${mb(walBytes)} MB -wal), ${int(dbBytes / N)} bytes per URL (urls + contents + indexes)`);
  const sizes = tableSizes(store.db);
  if (sizes) console.log(`  by table/index: ${sizes.map((s) => `${s.name} ${mb(s.bytes)} MB`).join(', ')}; urls table + its 2 indexes: ${int(sizes.filter((s) => /^(urls|urls_by_site|urls_by_status)$/.test(s.name)).reduce((a, s) => a + s.bytes, 0) / N)} bytes per URL`);

  // 3. Random lookups: 90% hits, 10% misses; keys built before the clock starts.
  const keys = new Array(LOOKUPS);
  for (let j = 0; j < LOOKUPS; j++) {
    const r = mix(j + 123_456_789);
    keys[j] = r % 10 === 0 ? urlOf(N + (r % N)).key : urlOf(r % N).key;
  }
  const lookups = () => {
    let hits = 0;
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    for (let j = 0; j < LOOKUPS; j++) if (store.getUrl(keys[j]) !== undefined) hits++;
    const wall = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { perSecond: LOOKUPS / wall, perCpuSecond: LOOKUPS / ((cpu.user + cpu.system) / 1e6), hits };
  };
  /** Wall-clock rate, and per CPU second of this process (steadier on a busy machine). */
  const rate = (r) => `${int(r.perSecond)}/s (${int(r.perCpuSecond)} per CPU second)`;
  const look = lookups();
  console.log(`lookups (getUrl, random, ${((look.hits / LOOKUPS) * 100).toFixed(0)}% hits): ${rate(look)} (target >= ${int(TARGET_LOOKUPS)}/s) ${ok(look.perSecond >= TARGET_LOOKUPS)}`);
  const again = lookups();
  console.log(`  same lookups again (pages now in SQLite's cache where they fit): ${rate(again)}`);
  if (PRAGMAS.length === 0) {
    // For comparison only (not what store.ts sets): a bigger page cache, then memory-mapped reads.
    const cacheSize = store.db.pragma('cache_size', { simple: true });
    store.db.pragma('cache_size = -262144');
    lookups();
    console.log(`  with cache_size = 256 MiB (store.ts: SQLite default ${cacheSize}), second pass: ${rate(lookups())}`);
    store.db.pragma(`cache_size = ${cacheSize}`);
    store.db.pragma('mmap_size = 4294967296');
    lookups();
    console.log(`  with mmap_size = 4 GiB instead, second pass: ${rate(lookups())}`);
    store.db.pragma('mmap_size = 0');
  }

  // 4. Single-row upserts, autocommit (one transaction per page, as a crawl marks them): half new URLs, half new versions of old ones.
  cpu0 = process.cpuUsage();
  t = performance.now();
  for (let j = 0; j < SINGLE; j++) {
    if (j % 2 === 0) write(store, N * 2 + j, 'bench-run-2');
    else write(store, mix(j) % N, 'bench-run-2', 2);
  }
  const singleSeconds = (performance.now() - t) / 1000;
  console.log(`single-row upserts (autocommit, WAL + synchronous=NORMAL; half new, half updates): ${int(SINGLE / singleSeconds)}/s (${int(SINGLE)} in ${singleSeconds.toFixed(2)} s, ${int(SINGLE / cpuSeconds())} per CPU second)`);

  // 5. What `newsclean state stats` and a dry-run prune cost at this size.
  if (admin) {
    t = performance.now();
    const st = admin.stateStats(store, { now: T0 + 400 * DAY });
    const statsSeconds = (performance.now() - t) / 1000;
    console.log(`state stats: ${statsSeconds.toFixed(2)} s (${int(st.urls.total)} URLs, ${int(st.urls.dueForRetry)} due for retry, ${int(st.urls.changed)} changed)`);
    t = performance.now();
    const pr = admin.pruneState(store, { olderThan: new Date(T0 + 365 * DAY), now: Date.now(), dryRun: true });
    console.log(`state prune --dry-run: ${((performance.now() - t) / 1000).toFixed(2)} s (would delete ${int(pr.urls.rejected)} rejected, ${int(pr.urls.gave_up)} given-up URLs)`);
  }
  store.close();
  store = undefined;
  console.log(`after the run: ${mb(sizeOf(path))} MB (+ ${mb(sizeOf(`${path}-wal`))} MB -wal) on disk`);

  // 6. Near-duplicate clustering.
  const clusterLib = fileURLToPath(new URL('./lib/cluster-bench.mjs', import.meta.url));
  if (CLUSTER_N <= 0) {
    console.log('clustering: skipped (BENCH_STATE_CLUSTER=0)');
  } else if (!existsSync(clusterLib)) {
    console.log('clustering: scripts/lib/cluster-bench.mjs not found');
  } else {
    const { clusterBenchmark } = await import('./lib/cluster-bench.mjs');
    const c = await clusterBenchmark(CLUSTER_N);
    console.log(
      `clustering: ${int(c.articles)} articles in ${c.seconds.toFixed(1)} s, ${int(c.perSecond)}/s, heap ${Math.round(c.heapMB)} MB (target ${int(CLUSTER_N)} articles < ${TARGET_CLUSTER_SECONDS} s on one core) ${ok(c.articles >= CLUSTER_N && c.seconds < TARGET_CLUSTER_SECONDS)}`,
    );
  }
} finally {
  if (store?.db.open) store.close();
  rmSync(dir, { recursive: true, force: true });
  if (existsSync(dir)) console.error(`could not remove ${dir}`);
}
