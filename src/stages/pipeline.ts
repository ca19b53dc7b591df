/**
 * The pipeline: fetch → clean → normalize → export, composed from the stages'
 * pure functions. Every input ends as an article record or as a coded reject.
 */
import type { Config } from '../config/schema.js';
import { NewscleanError, toNewscleanError } from '../shared/errors.js';
import { type Logger, silentLogger } from '../shared/log.js';
import type { ArticleRecord, RawPage, Reject } from '../shared/types.js';
// Reading and decoding files are shared helpers, not the fetch stage: a process that reads files loads no HTTP client, robots or feed parsing.
import { TEXT_EXTENSIONS, walkInputs } from '../shared/inputs.js';
import { decodeHtml } from '../shared/decode.js';
import { readAhead } from '../shared/read-ahead.js';
import { type InputOptions, READ_AHEAD, readHtmlInputs, readOrReject } from './read-inputs.js';
import { type CleanRules, clean, declaresArticle, loadCleanRules, looksLikeFrontPage } from './clean/index.js';
import { type NormalizeRules, loadNormalizeRules, normalize, withListedDate } from './normalize/index.js';
import { toRecord } from './export/index.js';
import { type TextRules, cleanText, loadTextRules } from './text/index.js';

export interface PipelineContext {
  config: Config;
  cleanRules: CleanRules;
  normalizeRules: NormalizeRules;
  log: Logger;
}

/** `links`: the page's links, when asked for (a crawl follows them, articles or not). */
export type PageOutcome = { ok: true; record: ArticleRecord; links?: string[] } | { ok: false; reject: Reject; links?: string[] };

export interface PageOptions {
  now?: Date;
  collectLinks?: boolean;
}

export function createContext(config: Config, log: Logger = silentLogger): PipelineContext {
  const { rulesDir, sitesDir } = config.clean;
  return {
    config,
    cleanRules: loadCleanRules({ rulesDir, sitesDir }),
    normalizeRules: loadNormalizeRules(rulesDir),
    log,
  };
}

/** The page's own fetch time (an archived page's WARC-Date) when it has a valid one, else `now`. */
function fetchTime(raw: RawPage, now: Date): Date {
  const at = raw.fetchedAt ? new Date(raw.fetchedAt) : null;
  return at && !Number.isNaN(at.getTime()) ? at : now;
}

/** One page's bytes to a record or a reject. Never throws. */
export function processPage(raw: RawPage, ctx: PipelineContext, opts: PageOptions | Date = {}): PageOutcome {
  const { now = new Date(), collectLinks = false } = opts instanceof Date ? { now: opts } : opts;
  // The page's child logger only when something is logged: most pages log nothing at the usual levels.
  let pageLog: Logger | undefined;
  const log = (): Logger => (pageLog ??= ctx.log.child({ source: raw.source, url: raw.url ?? undefined }));
  let links: string[] | undefined;
  try {
    const decoded = decodeHtml(raw);
    const cleaned = clean(decoded, { rules: ctx.cleanRules, config: ctx.config.clean, collectLinks });
    links = cleaned.links;
    if (looksLikeFrontPage(cleaned)) throw new NewscleanError('NOT_AN_ARTICLE', 'a front page: a list of teasers, no single story');
    const article = normalize(cleaned, ctx.config.normalize, ctx.normalizeRules, fetchTime(raw, now));
    const chars = article.paragraphs.reduce((n, p) => n + p.length, 0);
    const { minTextChars, minDeclaredArticleChars } = ctx.config.clean;
    const min = declaresArticle(cleaned) ? Math.min(minDeclaredArticleChars, minTextChars) : minTextChars;
    if (chars < min) throw new NewscleanError('NOT_AN_ARTICLE', `only ${chars} characters of article text (minimum ${min})`);
    if (ctx.log.isLevelEnabled('debug')) log().debug({ stage: 'clean', body: cleaned.bodySource, chars }, 'extracted');
    return { ok: true, record: withListedDate(toRecord(article, { extractedAt: now }), raw.listed), ...(links && { links }) };
  } catch (err) {
    return { ...rejectFor(err, raw.source, 'clean', log()), ...(links && { links }) };
  }
}

/** A failure as a reject with its code; unexpected errors (EXTRACT_FAILED) are logged as errors. */
function rejectFor(err: unknown, source: string, stage: string, log: Logger): PageOutcome {
  const e = toNewscleanError(err, 'EXTRACT_FAILED');
  // A reject is in the rejects file already; the log repeats it only at debug, unless it is a bug.
  const level = e.code === 'EXTRACT_FAILED' ? 'error' : 'debug';
  log[level]({ stage, code: e.code, err: e.code === 'EXTRACT_FAILED' ? e.cause : undefined }, e.message);
  return { ok: false, reject: { source, code: e.code, message: e.message } };
}

/** Stream outcomes for files and directories, in walk order, a few pages in memory at a time (reading: read-inputs.ts). */
export async function* extractPaths(paths: string[], ctx: PipelineContext, opts: InputOptions = {}): AsyncGenerator<PageOutcome> {
  for await (const read of readHtmlInputs(paths, ctx, opts)) yield 'outcome' in read ? read.outcome : processPage(read.raw, ctx);
}

// ---- clean-text: plain-text dumps (.txt, .txt.gz) through the same normalize and export stages.

export interface TextPipelineContext extends PipelineContext {
  textRules: TextRules;
}

export function createTextContext(config: Config, log: Logger = silentLogger): TextPipelineContext {
  return { ...createContext(config, log), textRules: loadTextRules(config.clean.rulesDir) };
}

/** One text dump's bytes to a record or a reject. Never throws. */
export function processTextDump(raw: RawPage, ctx: TextPipelineContext, now: Date = new Date()): PageOutcome {
  const log = ctx.log.child({ source: raw.source });
  try {
    // BOM → UTF-8 → a detected legacy charset (a dump has no <meta>; the prescan finds none).
    const dump = decodeHtml(raw).html;
    const { normalize: normalizeConfig, clean: cleanConfig } = ctx.config;
    const { page, linesIn, dropped } = cleanText(dump, raw.source, {
      rules: ctx.textRules, phrases: ctx.normalizeRules.phrases, metaLines: ctx.normalizeRules.metadataLines, normalize: normalizeConfig,
    });
    const article = normalize(page, normalizeConfig, ctx.normalizeRules, now);
    const chars = article.paragraphs.reduce((n, p) => n + p.length, 0);
    if (chars < cleanConfig.minTextChars) throw new NewscleanError('NOT_AN_ARTICLE', `only ${chars} characters of article text (minimum ${cleanConfig.minTextChars})`);
    log.debug({ stage: 'text', linesIn, dropped: dropped.length, paragraphs: article.paragraphs.length, chars }, 'cleaned');
    return { ok: true, record: toRecord(article, { extractedAt: now }) };
  } catch (err) {
    return rejectFor(err, raw.source, 'text', log);
  }
}

/** Stream outcomes for text files and directories of them, in walk order, a few dumps in memory at a time. */
export async function* cleanTextPaths(paths: string[], ctx: TextPipelineContext): AsyncGenerator<PageOutcome> {
  for await (const read of readAhead(walkInputs(paths, { extensions: TEXT_EXTENSIONS }), (entry) => readOrReject(entry, ctx), READ_AHEAD)) {
    yield 'outcome' in read ? read.outcome : processTextDump(read.raw, ctx);
  }
}
