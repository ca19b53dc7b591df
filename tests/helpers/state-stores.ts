import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type StateStore, openState } from '../../src/state/store.js';

/**
 * For state tests: stores opened with `open` are closed, and directories made
 * with `tempDir`/`tempPath` removed, after each test.
 */
export function trackStateStores(prefix: string): { open: (path?: string) => StateStore; tempDir: () => string; tempPath: () => string } {
  let dirs: string[] = [];
  let stores: StateStore[] = [];
  afterEach(() => {
    for (const s of stores) s.isOpen() && s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    stores = [];
    dirs = [];
  });
  const open = (path = ':memory:'): StateStore => {
    const s = openState(path);
    stores.push(s);
    return s;
  };
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  return { open, tempDir, tempPath: () => join(tempDir(), 'state.db') };
}
