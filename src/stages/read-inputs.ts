/**
 * The reading side of extract and clean-text: input files in walk order, each
 * read into memory (a few ahead of the one being cleaned) or turned into the
 * INPUT_UNREADABLE / INPUT_TOO_LARGE reject it becomes. No stage that cleans
 * is loaded here (only the shared file helpers), so a threaded extract's
 * main thread reads and writes while worker threads clean.
 */
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Config } from '../config/schema.js';
import { toNewscleanError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { RawPage, Reject } from '../shared/types.js';
import { type InputEntry, isWarcInput, walkInputs } from '../shared/inputs.js';
import { readAhead } from '../shared/read-ahead.js';
import { readPage } from '../shared/read-page.js';
import type { WarcFilter } from '../shared/warc.js';

/** What reading one input gives: its bytes, or the reject it became. */
export type InputRead = { raw: RawPage } | { outcome: { ok: false; reject: Reject } };

/** What reading needs: the input size bound and a log. */
export interface ReadEnv {
  config: Pick<Config, 'input'>;
  log: Logger;
}

/**
 * Inputs read ahead of the one being cleaned. A plain file is read synchronously (read-page.ts: one read instead of
 * five thread-pool round trips, each of which waited for the event loop); a gzipped one streams while a page is cleaned.
 */
export const READ_AHEAD = 2;

/** Read one input file, or the INPUT_UNREADABLE / INPUT_TOO_LARGE reject it becomes. */
export async function readOrReject(entry: InputEntry, env: ReadEnv): Promise<InputRead> {
  const file = entry.path;
  try {
    if (entry.error) throw entry.error;
    return { raw: await readPage(file, { maxBytes: env.config.input.maxBytes }) };
  } catch (err) {
    const e = toNewscleanError(err, 'INPUT_UNREADABLE');
    env.log.debug({ stage: 'fetch', source: file, code: e.code }, e.message);
    return { outcome: { ok: false, reject: { source: file, code: e.code, message: e.message } } };
  }
}

/**
 * The URL a local file stands for: with --base-url, the base itself for a
 * file argument, or the base joined with the file's path below a directory argument.
 */
function urlFor(file: string, root: string, rootIsDir: boolean, baseUrl: string | undefined): string | null {
  if (!baseUrl) return null;
  if (!rootIsDir) return baseUrl;
  return new URL(relative(root, file).split(sep).map(encodeURIComponent).join('/'), baseUrl).href;
}

/** Every HTML response record of a WARC file (shared/warc.ts, loaded only when a WARC is met), as inputs. */
async function* readWarcInputs(file: string, env: ReadEnv, filter: WarcFilter | undefined): AsyncGenerator<InputRead> {
  const { readWarc } = await import('../shared/warc.js');
  const inLanguage = filter?.langs?.length ? await languageFilter(filter.langs) : null;
  for await (const item of readWarc(file, { maxBytes: env.config.input.maxBytes, filter })) {
    if ('reject' in item) {
      env.log.debug({ stage: 'fetch', source: item.reject.source, code: item.reject.code }, item.reject.message);
      yield { outcome: { ok: false, reject: item.reject } };
    } else if (!inLanguage || inLanguage(item.raw)) yield { raw: item.raw };
  }
}

/**
 * --lang: a page is kept when its language, guessed before cleaning
 * (normalize's quickLang: the declared language checked against the text of
 * its first paragraphs), has one of these primary subtags. Loaded only then.
 */
async function languageFilter(langs: readonly string[]): Promise<(raw: RawPage) => boolean> {
  const [{ quickLang }, { decodeHtml }] = await Promise.all([import('./normalize/index.js'), import('../shared/decode.js')]);
  const wanted = new Set(langs.map((l) => l.toLowerCase().split('-')[0]!));
  return (raw) => {
    const lang = quickLang(decodeHtml(raw).html);
    return lang !== null && wanted.has(lang.toLowerCase().split('-')[0]!);
  };
}

/** --base-url for files; which records of web archives to take. */
export interface InputOptions {
  baseUrl?: string | undefined;
  warc?: WarcFilter | undefined;
}

/** extract's inputs: each path in turn (files, directories, WARC files), in walk order, with the URL --base-url gives each file. */
export async function* readHtmlInputs(paths: string[], env: ReadEnv, opts: InputOptions = {}): AsyncGenerator<InputRead> {
  for (const root of paths) {
    const rootIsDir = (await stat(root).catch(() => null))?.isDirectory() ?? false;
    const read = async (entry: InputEntry): Promise<{ file: string; read: InputRead | null }> =>
      ({ file: entry.path, read: isWarcInput(entry.path) && !entry.error ? null : await readOrReject(entry, env) });
    for await (const { file, read: got } of readAhead(walkInputs([root]), read, READ_AHEAD)) {
      if (got === null) yield* readWarcInputs(file, env, opts.warc); // a web archive: its records, streamed
      else yield 'outcome' in got ? got : { raw: { ...got.raw, url: urlFor(file, root, rootIsDir, opts.baseUrl) } };
    }
  }
}
