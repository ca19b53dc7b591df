import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NewscleanError } from '../../errors.js';

const HTML_FILE = /\.html?(\.gz)?$/i;

/** True for names newsclean reads: .html, .htm, .html.gz, .htm.gz (any case). */
export function isHtmlInput(path: string): boolean {
  return HTML_FILE.test(path);
}

/**
 * Fail fast on command-line paths that don't exist, or files given explicitly
 * that aren't HTML inputs. Kept apart from the walker so the walker can stream.
 */
export async function checkInputPaths(paths: string[]): Promise<void> {
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) throw new NewscleanError('USAGE', `no such file or directory: ${p}`);
    if (!st.isDirectory() && !isHtmlInput(p)) {
      throw new NewscleanError('USAGE', `not an .html/.htm(.gz) file: ${p}`);
    }
  }
}

/**
 * Yield input files in a deterministic order: each argument in turn,
 * directories recursively with entries sorted by name. Symlinked directories
 * are followed once; a directory whose real path was already walked is
 * skipped, so symlink loops end. Explicit file arguments are yielded as given.
 */
export async function* walkInputs(paths: string[]): AsyncGenerator<string> {
  const seen = new Set<string>();
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) continue; // checkInputPaths reports these
    if (st.isDirectory()) yield* walkDir(p, seen);
    else if (isHtmlInput(p)) yield p;
  }
}

async function* walkDir(dir: string, seen: Set<string>): AsyncGenerator<string> {
  const real = await realpath(dir).catch(() => null);
  if (real === null || seen.has(real)) return;
  seen.add(real);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  // Code-unit order, not locale order: the same on every machine.
  const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const full = join(dir, name);
    const st = await stat(full).catch(() => null); // follows symlinks; dangling ones are skipped
    if (!st) continue;
    if (st.isDirectory()) yield* walkDir(full, seen);
    else if (st.isFile() && isHtmlInput(name)) yield full;
  }
}
