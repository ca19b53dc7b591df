/** Ways to break a state store's file for tests, that work as root too. */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

/**
 * Make `path` unwritable, and return how to undo it: as root (the tests' usual
 * user, whom modes do not stop) the immutable attribute, where chattr works;
 * else mode 0444. Null when neither is possible.
 */
export function makeReadOnly(path: string): (() => void) | null {
  if (process.getuid?.() === 0) {
    try {
      execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
      return () => execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
    } catch {
      return null;
    }
  }
  chmodSync(path, 0o444);
  return () => chmodSync(path, 0o644);
}
