/**
 * The state store as a file: created whole or not at all, a 0-byte file
 * refused rather than taken for a new store, and the file a run opened
 * checked to still be the one at the path.
 */
import { existsSync, linkSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { NewscleanError } from '../shared/errors.js';

/** Device and inode of the file at `path`, or null when nothing is there. */
export interface FileIdentity { dev: number; ino: number }

export function fileIdentity(path: string): FileIdentity | null {
  try {
    const st = statSync(path);
    return { dev: st.dev, ino: st.ino };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/**
 * A 0-byte file where the store should be is most likely a store truncated by
 * a failed copy, a full disk or a careless `> state.db`: opening it would make
 * a new, empty store and every URL would be fetched and exported again. A
 * fresh store made by newsclean is never empty (see createStoreFile), and a
 * store whose pages are all still in its -wal file is not refused.
 */
export function refuseEmptyFile(path: string): void {
  if (!existsSync(path) || sizeOf(path) > 0 || sizeOf(`${path}-wal`) > 0) return;
  throw new NewscleanError(
    'STATE_UNAVAILABLE',
    `state store ${path} is an empty (0-byte) file, most likely a truncated store; restore it from a backup, or delete it to start afresh (every URL is then new again)`,
  );
}

/** Link errors that mean "this file system has no hard links": fall back to opening the path directly. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Create the store at `path` if nothing is there: built and migrated under a
 * private name by `build`, then hard-linked into place, which fails when
 * another process got there first (its store is then used). So no process
 * ever sees a half-made store, and two first runs started together do not
 * race in the migrations. Returns whether this process created it.
 */
export function createStoreFile(path: string, build: (tmpPath: string) => void): boolean {
  if (existsSync(path)) return false;
  // A WAL left by a deleted store would be replayed into the new one.
  if (sizeOf(`${path}-wal`) > 0) {
    throw new NewscleanError(
      'STATE_UNAVAILABLE',
      `state store ${path} is missing but its ${path}-wal is there (the store was deleted or moved without it); put the store back, or delete ${path}-wal and ${path}-shm to start afresh`,
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.new-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const cleanup = (): void => {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  };
  try {
    build(tmp);
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== undefined && NO_HARD_LINKS.has(code)) return false; // opened (and migrated) in place instead
    throw err;
  } finally {
    cleanup();
  }
}
