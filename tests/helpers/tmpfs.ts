/**
 * A tiny tmpfs for output-failure tests: full after a few KiB (ENOSPC), or
 * mounted read-only (EROFS). Needs root (CI and the dev machines run as root);
 * elsewhere `tmpfsAvailable` is false and those tests are skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

function probe(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const tmpfsAvailable = probe();

/** Mount a tmpfs of `sizeKb` at `dir` (created); returns the unmount. */
export function mountTmpfs(dir: string, opts: { sizeKb: number; readOnly?: boolean }): () => void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `${opts.readOnly ? 'ro,' : ''}size=${opts.sizeKb}k`, 'tmpfs', dir]);
  return () => execFileSync('umount', ['-l', dir]);
}
