/**
 * The store fails loudly: file faults are STATE_UNAVAILABLE naming the path, a
 * 0-byte or missing file is not taken for a new store when it should not be,
 * and a store deleted or replaced under a run is noticed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NewscleanError } from '../../src/shared/errors.js';
import { openState } from '../../src/state/store.js';
import { makeReadOnly } from '../helpers/state-faults.js';
import { trackStateStores } from '../helpers/state-stores.js';

const { open, tempDir, tempPath } = trackStateStores('nc-state-faults-');

const stateError = (fn: () => unknown): NewscleanError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('STATE_UNAVAILABLE');
    return err as NewscleanError;
  }
  throw new Error('expected STATE_UNAVAILABLE, nothing was thrown');
};

const exported = (n: number, at = 1000) => ({
  key: `https://a.example/${n}`, url: `https://a.example/${n}`, site: 'a', at, attempts: 1, runId: 'r1',
  etag: null, lastModified: null, contentHash: `sha256:${n}`, articleId: `id${n}`, version: 1,
});

let undo: (() => void)[] = [];
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

describe('file faults are STATE_UNAVAILABLE naming the store', () => {
  it('a read-only store: the first write says so, no SqliteError escapes', () => {
    const path = tempPath();
    openState(path).close();
    const restore = makeReadOnly(path);
    if (!restore) return; // root without chattr: nothing here can make the file read-only
    undo.push(restore);
    const s = open(path);
    const err = stateError(() => s.markExported(exported(1)));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/read-only.*SQLITE_READONLY/);
    expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_READONLY/);
  });

  it('a full disk (SQLITE_FULL, simulated with max_page_count) mid-transaction, and what was committed survives', () => {
    const path = tempPath();
    const s = open(path);
    s.markExported(exported(0));
    const pages = s.db.pragma('page_count', { simple: true }) as number;
    s.db.pragma(`max_page_count = ${pages}`);
    const err = stateError(() => {
      for (let n = 1; n < 10_000; n++) s.transaction(() => s.markExported(exported(n)));
    });
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/disk under the store is full.*SQLITE_FULL/);
    s.close();
    const again = open(path);
    expect(again.getUrl('https://a.example/0')?.status).toBe('exported');
  });

  it('a file that is not a SQLite database', () => {
    const path = join(tempDir(), 'state.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header\n'.repeat(100));
    const err = stateError(() => openState(path));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/SQLITE_NOTADB/);
  });

  it('an iterator through the guard still iterates', () => {
    const s = open(tempPath());
    s.addCluster('a1', 'c1', new Uint8Array([1]), 1);
    const it = s.clusters(0);
    expect([...it]).toHaveLength(1);
  });
});

describe('a 0-byte file is not a new store', () => {
  it('is refused with a line telling how to proceed, and left as it is', () => {
    const path = join(tempDir(), 'state.db');
    writeFileSync(path, '');
    const err = stateError(() => openState(path));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/empty \(0-byte\).*delete it to start afresh/);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a missing file is still created (a first run), whole: never 0 bytes, no temporary file left', () => {
    const dir = tempDir();
    const path = join(dir, 'sub', 'state.db');
    const s = open(path);
    s.close();
    const again = open(path); // reopening what was made is fine
    expect(again.schemaVersion).toBeGreaterThanOrEqual(6);
    expect(execFileSync('ls', [join(dir, 'sub')]).toString()).not.toMatch(/\.new-/);
  });

  it('a missing store whose -wal is still there is refused, not created over its stale WAL', () => {
    const path = join(tempDir(), 'state.db');
    writeFileSync(`${path}-wal`, Buffer.alloc(4096, 1));
    const err = stateError(() => openState(path));
    expect(err.message).toMatch(/is missing but its .*state\.db-wal is there/);
    expect(existsSync(path)).toBe(false);
  });

  it('mustExist refuses a missing store and creates nothing', () => {
    const path = join(tempDir(), 'typo.db');
    const err = stateError(() => openState(path, { mustExist: true }));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/does not exist/);
    expect(existsSync(path)).toBe(false);
  });
});

describe('checkIntact', () => {
  it('passes while the path is the file the store opened', () => {
    const s = open(tempPath());
    s.markExported(exported(1));
    expect(() => s.checkIntact()).not.toThrow();
    expect(() => open(':memory:').checkIntact()).not.toThrow();
  });

  it('throws once the file is deleted', () => {
    const path = tempPath();
    const s = open(path);
    rmSync(path);
    const err = stateError(() => s.checkIntact());
    expect(err.message).toBe(`state store ${path} was deleted or replaced while the run was going; what this run did since is not in it`);
  });

  it("a run's writes check it by themselves, at most every 2 s", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const path = tempPath();
      const s = open(path);
      rmSync(path);
      s.markExported(exported(1)); // within 2 s of opening: not looked at yet
      vi.setSystemTime(Date.now() + 2001);
      const err = stateError(() => s.markExported(exported(2)));
      expect(err.message).toMatch(/was deleted or replaced while the run was going/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the heartbeat never throws (it runs on a timer): the fault it meets is thrown by the next run write', () => {
    const path = tempPath();
    const s = open(path);
    s.beginRun({ run_id: 'r1', command: 'crawl', plan_hash: 'p', started_at: 1, records_path: null, rejects_path: null, manifest_path: null, owner_pid: 1, owner_host: 'h' });
    s.heartbeat('r1', 2);
    expect(s.getRun('r1')?.heartbeat_at).toBe(2);
    rmSync(path);
    expect(() => s.heartbeat('r1', 3)).not.toThrow();
    const err = stateError(() => s.frontierDone('r1', 'k'));
    expect(err.message).toMatch(/was deleted or replaced/);
    stateError(() => s.transaction(() => 1)); // and every write after it
  });

  it('a SQLite fault in the heartbeat (a refused write) is deferred the same way, as STATE_UNAVAILABLE', () => {
    const s = open(tempPath());
    s.beginRun({ run_id: 'r1', command: 'crawl', plan_hash: 'p', started_at: 1, records_path: null, rejects_path: null, manifest_path: null, owner_pid: 1, owner_host: 'h' });
    s.db.exec('PRAGMA query_only = 1'); // any write now fails with SQLITE_READONLY
    expect(() => s.heartbeat('r1', 5)).not.toThrow();
    const err = stateError(() => s.markExported(exported(1)));
    expect(err.message).toMatch(/read-only.*SQLITE_READONLY/);
  });

  it('throws once another file is put in its place (a restore, a new store made by another process)', () => {
    const path = tempPath();
    const s = open(path);
    const other = join(tempDir(), 'other.db');
    openState(other).close();
    renameSync(other, path);
    stateError(() => s.checkIntact());
  });
});
