/**
 * The crawl's sources file (config/sources.yaml): which sites to crawl, from
 * which feeds, sitemaps and start pages, and the politeness defaults. YAML
 * because people edit it by hand and want comments. Validation is strict
 * (unknown keys are errors) so a typo fails loudly instead of being ignored,
 * and every problem is reported on one line: `file: key.path: what was expected`.
 */
import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { NewscleanError } from '../shared/errors.js';
import { hostnameOf, parseHttpUrl } from '../shared/url.js';

export interface SiteSource {
  /** Unique, [a-z0-9_-]+; used on the command line and in logs. */
  name: string;
  /** Off: skipped unless named explicitly (see selectSites). */
  enabled: boolean;
  /** RSS 2.0, Atom or JSON Feed URLs. */
  feeds: string[];
  /** Sitemap URLs: plain, index, .gz or Google News sitemaps. */
  sitemaps: string[];
  /** Pages to crawl from, following links by `follow`. */
  startUrls: string[];
  /**
   * Which links found on crawled pages are followed: JavaScript RegExp sources
   * (compiled with `new RegExp(source)`, no flags), searched in the absolute
   * URL like Scrapy's LinkExtractor. Empty allow = any link on the site's
   * hosts; deny wins over allow. maxDepth = link hops from a start URL.
   */
  follow: { allow: string[]; deny: string[]; maxDepth: number };
  /** Stop the site after this many articles; null = no limit. */
  maxArticles: number | null;
  /** Lower-case host names that count as this site: those of feeds/sitemaps/start_urls plus any listed in `hosts:`. */
  hosts: string[];
  /** Per-host politeness override for this site's hosts (only the keys given); null = the defaults. */
  perHost: { concurrency?: number; delayMs?: number } | null;
  /** User-Agent override for this site; null = the default. */
  userAgent: string | null;
  /** Cron expression for `newsclean schedule` (the site's own, else `defaults.schedule`); null = not scheduled. */
  schedule: string | null;
}

export interface Sources {
  path: string;
  /** `defaults:` translated to the camelCase shape of Config['fetch'] (only the keys given), to be layered over the config file and under env/flags by load.ts. */
  fetchDefaults: Record<string, unknown>;
  sites: SiteSource[];
}

// ---------------------------------------------------------------- messages

/** A value as it appears in a message: JSON, cut short. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** "expected X, got Y" for a zod error callback. */
const expected = (what: string) => (iss: { input?: unknown }) => `expected ${what}, got ${show(iss.input)}`;

// ---------------------------------------------------------------- value schemas

const integer = (min: 0 | 1) => {
  // The same text for every way of being wrong (type, fraction, range): the fix is the same.
  const error = min === 0 ? 'expected a non-negative integer' : 'expected a positive integer';
  return z.number({ error }).int({ error }).min(min, { error });
};
const nonNegative = integer(0);
const positive = integer(1);

const bool = z.boolean({ error: expected('true or false') });
const text = z.string({ error: expected('a non-empty string') }).min(1, { error: expected('a non-empty string') });

function isHttpUrl(v: string): boolean {
  const u = parseHttpUrl(v);
  return u !== null && u.hostname !== '';
}

const httpUrl = z.string({ error: expected('an http(s) URL') }).refine(isHttpUrl, { error: expected('an http(s) URL') });

/** The V8 message without its "Invalid regular expression: /src/flags: " prefix, which repeats the pattern. */
function regexProblem(source: string): string | null {
  try {
    new RegExp(source);
    return null;
  } catch (err) {
    const msg = (err as Error).message;
    return /^Invalid regular expression: \/.*\/[a-z]*: (.*)$/s.exec(msg)?.[1] ?? msg;
  }
}

/** A cron expression as croner reads it (5 fields, or 6 with seconds; @hourly and kin). */
const cronExpression = z.string({ error: expected('a cron expression like "*/30 * * * *"') }).superRefine((v, ctx) => {
  try {
    new Cron(v, { paused: true }).stop();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `expected a cron expression like "*/30 * * * *", got ${show(v)} (${(err as Error).message})` });
  }
});

const pattern = z.string({ error: expected('a regular expression (a string)') }).superRefine((v, ctx) => {
  const problem = regexProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `expected a JavaScript regular expression, got ${show(v)} (${problem})` });
});

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const hostName = z
  .string({ error: expected('a host name like "www.example.com"') })
  .refine((v) => HOST.test(v), { error: expected('a host name like "www.example.com"') });

const siteName = z
  .string({ error: expected('a site name of a-z, 0-9, "_" and "-"') })
  .regex(/^[a-z0-9_-]+$/, { error: expected('a site name of a-z, 0-9, "_" and "-"') });

/** A list; an empty YAML key (`feeds:` with every item commented out) counts as empty. */
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: expected(`a list of ${what}`) }).nullish();

/** A mapping whose unknown keys are errors that list the known ones. */
function mapping<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown key; expected one of: ${known}` : expected('a mapping')(iss)),
  });
}

// ---------------------------------------------------------------- file schema (snake_case, as written)

const PerHost = mapping({ concurrency: positive.optional(), delay_ms: nonNegative.optional() });

/** Mirrors the `fetch` section of schema.ts (same bounds), in snake_case. */
const Defaults = mapping({
  user_agent: text.optional(),
  concurrency: positive.optional(),
  per_host: PerHost.optional(),
  allow_private_networks: bool.optional(),
  timeouts: mapping({ connect_ms: positive.optional(), response_ms: positive.optional(), total_ms: positive.optional() }).optional(),
  retries: mapping({
    limit: nonNegative.optional(),
    base_delay_ms: nonNegative.optional(),
    max_delay_ms: nonNegative.optional(),
    max_retry_after_ms: nonNegative.optional(),
  }).optional(),
  max_redirects: nonNegative.optional(),
  max_bytes: positive.optional(),
  max_discovery_bytes: positive.optional(),
  // Empty = the proxy environment variables, as in schema.ts.
  proxy: z.union([z.literal(''), httpUrl], { error: expected('an http(s) proxy URL or ""') }).optional(),
  respect_robots: bool.optional(),
  max_crawl_delay_ms: nonNegative.optional(),
  /** Not a fetch setting: the cron expression of sites without their own (newsclean schedule). */
  schedule: cronExpression.optional(),
});

const Site = mapping({
  name: siteName,
  enabled: bool.optional(),
  feeds: list(httpUrl, 'http(s) URLs'),
  sitemaps: list(httpUrl, 'http(s) URLs'),
  start_urls: list(httpUrl, 'http(s) URLs'),
  follow: mapping({
    allow: list(pattern, 'regular expressions'),
    deny: list(pattern, 'regular expressions'),
    max_depth: nonNegative.optional(),
  }).optional(),
  max_articles: positive.optional(),
  hosts: list(hostName, 'host names'),
  per_host: PerHost.optional(),
  user_agent: text.optional(),
  schedule: cronExpression.optional(),
}).superRefine((site, ctx) => {
  // A site with nowhere to start would silently crawl nothing.
  if (!site.feeds?.length && !site.sitemaps?.length && !site.start_urls?.length) {
    ctx.addIssue({ code: 'custom', message: 'expected at least one of feeds, sitemaps, start_urls' });
  }
});

const atLeastOneSite = 'at least one site is required';

const SourcesFile = mapping({
  defaults: Defaults.optional(),
  sites: z
    .array(Site, { error: (iss) => (iss.input == null ? atLeastOneSite : expected('a list of sites')(iss)) })
    .min(1, { error: atLeastOneSite })
    .superRefine((sites, ctx) => {
      const seen = new Set<string>();
      sites.forEach((site, i) => {
        if (seen.has(site.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate site name ${show(site.name)}` });
        seen.add(site.name);
      });
    }),
});

type SourcesInput = z.infer<typeof SourcesFile>;
type SiteInput = z.infer<typeof Site>;

// ---------------------------------------------------------------- snake_case → camelCase

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Key-by-key camelCase copy that drops absent keys: fetchDefaults must hold only what the file says. */
function camelTree(tree: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (v === undefined) continue;
    out[camel(k)] = typeof v === 'object' && v !== null && !Array.isArray(v) ? camelTree(v as Record<string, unknown>) : v;
  }
  return out;
}

function toSite(s: SiteInput, defaultSchedule: string | null): SiteSource {
  const feeds = s.feeds ?? [];
  const sitemaps = s.sitemaps ?? [];
  const startUrls = s.start_urls ?? [];
  const hosts = [...[...feeds, ...sitemaps, ...startUrls].map(hostnameOf), ...(s.hosts ?? []).map((h) => h.toLowerCase())];
  return {
    name: s.name,
    enabled: s.enabled ?? true,
    feeds,
    sitemaps,
    startUrls,
    follow: { allow: s.follow?.allow ?? [], deny: s.follow?.deny ?? [], maxDepth: s.follow?.max_depth ?? 1 },
    maxArticles: s.max_articles ?? null,
    hosts: [...new Set(hosts)],
    perHost: s.per_host ? (camelTree(s.per_host) as SiteSource['perHost']) : null,
    userAgent: s.user_agent ?? null,
    schedule: s.schedule ?? defaultSchedule,
  };
}

// ---------------------------------------------------------------- reading

const invalid = (path: string, where: string, what: string) => new NewscleanError('CONFIG_INVALID', `${path}: ${where}: ${what}`);

/** YAML to plain data; syntax errors name the line (one line: the yaml package's message without its code excerpt). */
function readYaml(text: string, path: string): unknown {
  const doc = parseDocument(text, { merge: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const what = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw invalid(path, pos ? `line ${pos.line}, column ${pos.col}` : '(yaml)', what);
  }
  try {
    return doc.toJS();
  } catch (e) {
    // Unresolved aliases, alias bombs: found only while building the value.
    throw invalid(path, '(yaml)', (e as Error).message.split('\n')[0] ?? 'invalid YAML');
  }
}

function validate(data: unknown, path: string): SourcesInput {
  // An empty file is an empty mapping, so it fails on the missing `sites:`.
  const result = SourcesFile.safeParse(data ?? {});
  if (result.success) return result.data;
  // An unknown key first: a typo (`site:`) also makes the real key look missing, and the typo is the thing to fix.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  // Name the offending key itself, not the mapping that holds it.
  const keyPath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  throw invalid(path, keyPath.map(String).join('.') || '(root)', issue.message);
}

/** Same as loadSources, from a string (tests, the demo). */
export function parseSources(text: string, path: string): Sources {
  const file = validate(readYaml(text, path), path);
  const { schedule, ...fetchDefaults } = file.defaults ?? {};
  return { path, fetchDefaults: camelTree(fetchDefaults), sites: file.sites.map((site) => toSite(site, schedule ?? null)) };
}

/** Read, parse and validate; any problem is a one-line CONFIG_INVALID naming the file and the key path. */
export function loadSources(path: string): Sources {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found (copy config/sources.example.yaml to start)' : (err as Error).message;
    throw new NewscleanError('CONFIG_INVALID', `${path}: ${what}`, { cause: err });
  }
  return parseSources(text, path);
}

/**
 * The sites a run covers: every enabled site, or the named ones in the order
 * given (a disabled site named explicitly is included: asking for it by name
 * is the way to run it).
 */
export function selectSites(sources: Sources, names: string[]): SiteSource[] {
  if (names.length === 0) return sources.sites.filter((s) => s.enabled);
  const byName = new Map(sources.sites.map((s) => [s.name, s]));
  return [...new Set(names)].map((name) => {
    const site = byName.get(name);
    if (!site) throw new NewscleanError('USAGE', `unknown site ${show(name)}; known: ${sources.sites.map((s) => s.name).join(', ')}`);
    return site;
  });
}
