/**
 * The local inputs of extract and clean-text: which file names count, the
 * check of command-line paths, and the walk of folders in a fixed order. Only
 * node:fs and errors: the cli checks its arguments (and an empty folder ends
 * the command) without loading a stage; the fetch stage re-exports all of it
 * as the reading side of its surface.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NewscleanError } from './errors.js';

/** What `extract` reads (the default) and what `clean-text` reads. Matched case-insensitively. */
export const HTML_EXTENSIONS: readonly string[] = ['.html', '.htm', '.html.gz', '.htm.gz'];
export const TEXT_EXTENSIONS: readonly string[] = ['.txt', '.txt.gz'];
/** Web archives (read by warc.ts): each HTML response record is a page. */
export const WARC_EXTENSIONS: readonly string[] = ['.warc', '.warc.gz'];
/** What extract reads: pages and web archives. */
export const EXTRACT_EXTENSIONS: readonly string[] = [...HTML_EXTENSIONS, ...WARC_EXTENSIONS];
export const isWarcInput = (path: string): boolean => hasExtension(path, WARC_EXTENSIONS);

export interface InputOptions {
  /** File name endings to read (default HTML_EXTENSIONS). */
  extensions?: readonly string[];
}

/** True when the name ends with one of the extensions (any case). */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const p = path.toLowerCase();
  return extensions.some((e) => p.endsWith(e));
}

/** True for names newsclean reads: .html, .htm, .html.gz, .htm.gz (any case). */
export function isHtmlInput(path: string): boolean {
  return hasExtension(path, HTML_EXTENSIONS);
}

/** "not an .html/.htm(.gz) file" for the default, "not a .txt/.txt.gz file" otherwise. */
const kindName = (extensions: readonly string[]): string =>
  extensions === HTML_EXTENSIONS ? 'an .html/.htm(.gz)' : extensions === EXTRACT_EXTENSIONS ? 'an .html/.htm(.gz) or .warc(.gz)' : `a ${extensions.join('/')}`;

/**
 * Fail fast on command-line paths that don't exist, or files given explicitly
 * that don't have one of the wanted extensions. Kept apart from the walker so the walker can stream.
 */
export async function checkInputPaths(paths: string[], opts: InputOptions = {}): Promise<void> {
  const extensions = opts.extensions ?? EXTRACT_EXTENSIONS;
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) throw new NewscleanError('USAGE', `no such file or directory: ${p}`);
    if (!st.isDirectory() && !hasExtension(p, extensions)) {
      throw new NewscleanError('USAGE', `not ${kindName(extensions)} file: ${p}`);
    }
  }
}

/** A file to read, or a folder that could not be listed (it becomes an INPUT_UNREADABLE reject, never a silent gap). */
export type InputEntry = { path: string; error: null } | { path: string; error: NewscleanError };

/**
 * Yield input files in a deterministic order: each argument in turn,
 * directories recursively with entries sorted by name. Symlinked directories
 * are followed once; a directory whose real path was already walked is
 * skipped, so symlink loops end. Explicit file arguments are yielded as given.
 */
export async function* walkInputs(paths: string[], opts: InputOptions = {}): AsyncGenerator<InputEntry> {
  const extensions = opts.extensions ?? EXTRACT_EXTENSIONS;
  const seen = new Set<string>();
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) continue; // checkInputPaths reports these
    if (st.isDirectory()) yield* walkDir(p, seen, extensions);
    else if (hasExtension(p, extensions)) yield { path: p, error: null };
  }
}

async function* walkDir(dir: string, seen: Set<string>, extensions: readonly string[]): AsyncGenerator<InputEntry> {
  const real = await realpath(dir).catch(() => null);
  if (real === null || seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    yield { path: dir, error: new NewscleanError('INPUT_UNREADABLE', `cannot list the folder ${dir}: ${e.code ?? e.message}`, { cause: err }) };
    return;
  }
  // Code-unit order, not locale order: the same on every machine.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    // The entry's own type when the folder listing gives it (no stat per file); a symlink, or a file system
    // that gives no type, is stat()ed: that follows symlinks, and dangling ones are skipped.
    const st = entry.isFile() || entry.isDirectory() ? entry : await stat(full).catch(() => null);
    if (!st) continue;
    if (st.isDirectory()) yield* walkDir(full, seen, extensions);
    else if (st.isFile() && hasExtension(entry.name, extensions)) yield { path: full, error: null };
  }
}
