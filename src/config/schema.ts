import { z } from 'zod';
import { VERSION } from '../shared/version.js';

/**
 * The one configuration schema. Defaults live here and only here; a config
 * file, NEWSCLEAN_* environment variables and CLI flags are layered on top
 * (see load.ts), in that order.
 */
export const ConfigSchema = z
  .object({
    input: z
      .object({
        /** Inputs larger than this (after gunzip) become INPUT_TOO_LARGE rejects. */
        maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    clean: z
      .object({
        /** Articles whose text is shorter than this (in characters) are NOT_AN_ARTICLE. */
        minTextChars: z.number().int().nonnegative().default(250),
        /** The lower minimum for pages whose metadata declares an article (og:type, schema.org type): short posts are still posts. */
        minDeclaredArticleChars: z.number().int().nonnegative().default(50),
        /** Directory of rule files (boilerplate selectors, hint words). Empty = bundled config/rules. */
        rulesDir: z.string().default(''),
        /** Directory of per-site override files. Empty = bundled config/sites. */
        sitesDir: z.string().default(''),
        /** Keep <figcaption> and caption-like text. Off: captions and credits are not the story. */
        keepCaptions: z.boolean().default(false),
        /** Keep tables as text rows. */
        keepTables: z.boolean().default(true),
        /**
         * Pages with more HTML elements than this are TOO_COMPLEX rejects. The largest of ~960 real
         * news pages has ~10,000; a million takes ~1.3 GB of memory to clean, and a few MB of bare
         * tags would otherwise exhaust the heap. (A clean worker's bounded heap stops sooner, also TOO_COMPLEX.)
         */
        maxElements: z.number().int().positive().default(1_000_000),
      })
      .strict()
      .prefault({}),
    normalize: z
      .object({
        /** Drop lines matching the per-language boilerplate phrase lists. */
        dropBoilerplateLines: z.boolean().default(true),
        /** Keep one copy of paragraphs / blocks of paragraphs that occur twice. */
        dedupeBlocks: z.boolean().default(true),
        /**
         * Strip an agency dateline ("WASHINGTON (Reuters) - ", «عمان --(بترا)-- ») from the start of the
         * first paragraphs: it is metadata (place, agency), not story text. On by default; turn it off
         * for corpora that keep it (some gold sets do). The agency goes to
         * source_agency either way.
         */
        dropDatelines: z.boolean().default(true),
        /** Unicode NFC. */
        nfc: z.boolean().default(true),
        /** Collapse whitespace inside paragraphs, turn NBSP and friends into spaces. */
        collapseWhitespace: z.boolean().default(true),
        /** Remove zero-width spaces, BOMs and bidi control marks (ZWNJ is kept). */
        stripInvisibles: z.boolean().default(true),
        /** Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF, lam-alef ligatures) to the standard letters. */
        foldPresentationForms: z.boolean().default(true),
        /** Remove tatweel (U+0640), the Arabic stretching stroke. */
        removeTatweel: z.boolean().default(true),
        /** Decode HTML entities left in the text ("&amp;quot;" on pages that escaped twice). */
        decodeEntities: z.boolean().default(true),
        /** Remove stray spaces before , . ، ؛ ؟ and closing brackets (and before ! ? : ; after Arabic). */
        tidyPunctuation: z.boolean().default(true),
        /** Add `text_folded`: the Arabic search form (alef variants, ى, ة, diacritics, digits; see README). */
        fold: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    fetch: z
      .object({
        /** Sent on every request; `config/sources.yaml` `defaults.user_agent` overrides it. */
        userAgent: z.string().min(1).default(`newsclean/${VERSION} (+https://github.com/newsclean/newsclean)`),
        /** Requests in flight across all hosts. */
        concurrency: z.number().int().positive().default(16),
        perHost: z
          .object({
            /** Requests in flight to one host. */
            concurrency: z.number().int().positive().default(2),
            /** Minimum time between the starts of two requests to one host; robots.txt Crawl-delay raises it. */
            delayMs: z.number().int().nonnegative().default(1000),
          })
          .strict()
          .prefault({}),
        /** Off: loopback, private and link-local targets are refused (PRIVATE_NETWORK), after redirects and DNS too. */
        allowPrivateNetworks: z.boolean().default(false),
        timeouts: z
          .object({
            /** TCP (and TLS) connection established. */
            connectMs: z.number().int().positive().default(10_000),
            /** First response byte after the request is sent. */
            responseMs: z.number().int().positive().default(20_000),
            /** Whole request, body included. */
            totalMs: z.number().int().positive().default(60_000),
          })
          .strict()
          .prefault({}),
        retries: z
          .object({
            /** Retries after the first attempt, on network errors, 408, 429 and 5xx. */
            limit: z.number().int().nonnegative().default(3),
            /** Exponential backoff: base × 2^(attempt-1), with full jitter, capped by maxDelayMs. */
            baseDelayMs: z.number().int().nonnegative().default(500),
            maxDelayMs: z.number().int().nonnegative().default(30_000),
            /** A Retry-After longer than this is capped to it. */
            maxRetryAfterMs: z.number().int().nonnegative().default(120_000),
          })
          .strict()
          .prefault({}),
        maxRedirects: z.number().int().nonnegative().default(10),
        /** Bodies larger than this (decompressed) are aborted early: TOO_LARGE. */
        maxBytes: z.number().int().positive().default(10 * 1024 * 1024),
        /** The same cap for feeds and sitemaps (after gunzip for .xml.gz): the sitemap protocol allows 50 MB uncompressed. */
        maxDiscoveryBytes: z.number().int().positive().default(50 * 1024 * 1024),
        /** http(s)://[user:pass@]host:port; empty = HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment. */
        proxy: z.string().default(''),
        /** Obey robots.txt (Disallow, Crawl-delay). */
        respectRobots: z.boolean().default(true),
        /** A robots.txt Crawl-delay above this is capped to it. */
        maxCrawlDelayMs: z.number().int().nonnegative().default(30_000),
      })
      .strict()
      .prefault({}),
    output: z
      .object({
        /** Runs write <dir>/<YYYY-MM-DD>/<run-id>.jsonl, .rejects.jsonl and .manifest.json (relative to the working directory). */
        dir: z.string().min(1).default('output'),
        /** Write .jsonl.gz instead of .jsonl (every line stays recoverable after a crash). */
        gzip: z.boolean().default(false),
        /**
         * Archive every HTTP exchange of crawl, scrape, recrawl and workers (pages, robots.txt, feeds,
         * sitemaps, redirects, error answers) as WARC/1.1 files in this folder (relative paths: like dir);
         * each article record then says where its response is (`warc`). Unset: no archive.
         */
        warc: z.string().min(1).optional(),
        /** A WARC file is closed and the next one begun before it would pass this size. */
        warcMaxBytes: z.number().int().min(1_000_000).default(1_000_000_000),
      })
      .strict()
      .prefault({}),
    queue: z
      .object({
        /** Spread crawls over workers (src/queue/): the BullMQ queue's Redis, redis://[USER:PASSWORD@]HOST:PORT[/DB] or rediss:// (NEWSCLEAN_QUEUE_URL, --queue). Unset: crawls run in this process. */
        url: z.string().regex(/^rediss?:\/\//i, 'a redis:// or rediss:// URL').optional(),
        /** A worker's hold on its jobs (renewed while it lives): a worker killed outright has its jobs taken over by another worker after about this long. */
        lockMs: z.number().int().min(1000).default(30_000),
      })
      .strict()
      .prefault({}),
    state: z
      .object({
        /** The SQLite state store of crawl, scrape and recrawl (relative to the working directory). */
        path: z.string().min(1).default('output/state.db'),
        /** A PostgreSQL state store shared by many workers (postgres://USER[:PASSWORD]@HOST:PORT/DB, NEWSCLEAN_STATE_URL); when set it is used instead of path. */
        url: z.string().regex(/^postgres(?:ql)?:\/\//i, 'a postgres:// or postgresql:// URL').optional(),
        /** A URL that failed transiently is retried by later runs after baseDelayMs × 2^(failed runs − 1), capped; given up after maxRuns failed runs. */
        retry: z
          .object({
            maxRuns: z.number().int().positive().default(5),
            baseDelayMs: z.number().int().nonnegative().default(60 * 60 * 1000),
            maxDelayMs: z.number().int().nonnegative().default(7 * 24 * 60 * 60 * 1000),
          })
          .strict()
          .prefault({}),
        /** Reject codes that may succeed in a later run (HTTP_5xx matches every 5xx); others are final. */
        transientCodes: z.array(z.string()).default(['FETCH_TIMEOUT', 'FETCH_FAILED', 'TRUNCATED_BODY', 'HTTP_408', 'HTTP_429', 'HTTP_5xx', 'ROBOTS_UNAVAILABLE', 'SITE_UNREACHABLE']),
      })
      .strict()
      .prefault({}),
    dedupe: z
      .object({
        /**
         * Versions of one story share a cluster_id: MinHash over word shingles
         * of the search-folded text, LSH-indexed (src/dedupe/near-dup.ts;
         * thresholds chosen on tests/fixtures/near-dup, see docs/benchmarks.md).
         */
        nearDuplicates: z
          .object({
            enabled: z.boolean().default(true),
            shingleSize: z.number().int().positive().default(2),
            threshold: z.number().min(0).max(1).default(0.35),
            numHashes: z.number().int().positive().default(128),
            bands: z.number().int().positive().default(64),
            numberWeight: z.number().int().nonnegative().default(6),
            minShingles: z.number().int().positive().default(12),
            /** Articles of the last this-many days are compared with new ones (versions of a story appear within days; the index costs ~2 KB per article). */
            windowDays: z.number().positive().default(30),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
        /** json: one JSON object per line (machines); pretty: coloured text (people); auto: pretty on a terminal, json elsewhere. */
        format: z.enum(['auto', 'json', 'pretty']).default('auto'),
        /** Off a terminal, a `progress` log line with the run's figures this often (on a terminal a live display instead). 0 = never. */
        progressIntervalMs: z.number().int().nonnegative().default(30_000),
      })
      .strict()
      .prefault({}),
    run: z
      .object({
        /**
         * Exit status 1 when more than this share of the settled URLs failed
         * (rejects whose code is not in ignoreCodes), so cron can alert.
         */
        maxFailureRate: z.number().min(0).max(1).default(0.5),
        /** Reject codes that are the pages' nature or policy, not a failure of the run. */
        ignoreCodes: z.array(z.string()).default(['NOT_AN_ARTICLE', 'DUPLICATE_URL', 'ROBOTS_DISALLOWED', 'NOT_MODIFIED']),
        /** After SIGINT/SIGTERM: time for in-flight pages to finish and outputs to be flushed before the process exits anyway. */
        graceMs: z.number().int().nonnegative().default(30_000),
        /** A site another live crawl holds (its site lock): wait this long for it, then exit 5 (RUN_IN_PROGRESS). */
        lockWaitMs: z.number().int().nonnegative().default(0),
      })
      .strict()
      .prefault({}),
    schedule: z
      .object({
        /** IANA time zone of the cron expressions; empty = the machine's. */
        timezone: z.string().default(''),
        /** Also run every site once at start-up, then on its schedule. */
        runOnStart: z.boolean().default(false),
        /** Crawl runs in flight at once (one per site at most); due sites wait for a free slot. */
        maxConcurrentRuns: z.number().int().positive().default(2),
        /** Prometheus /metrics, /healthz and /livez. Loopback by default: expose it on purpose (0.0.0.0 in a container). */
        server: z
          .object({
            enabled: z.boolean().default(true),
            host: z.string().min(1).default('127.0.0.1'),
            port: z.number().int().min(0).max(65535).default(9464),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export const defaultConfig = (): Config => ConfigSchema.parse({});
