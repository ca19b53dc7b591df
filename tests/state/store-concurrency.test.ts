/**
 * Several processes opening the same store at the same moment: the first runs
 * of a new store (each would create and migrate it), and an old store that
 * each would upgrade. All must open it, at the latest schema, with no
 * "table already exists" or "duplicate column name".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { ROOT } from '../helpers/run-cli.js';

const PROCESSES = 6;
const ROUNDS = 4;
const dir = mkdtempSync(join(tmpdir(), 'nc-state-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each child waits for the same instant, opens the store with dist/state/store.js, writes a row and prints the schema version. */
const SCRIPT = `
const { openState } = await import(process.argv[1]);
const [path, at, n] = process.argv.slice(2);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, Number(at) - Date.now() - 20)); // sleep, then spin the last 20 ms
while (Date.now() < Number(at)) {}
const s = openState(path);
s.addContent('sha256:' + n, 'id' + n, 'key' + n);
process.stdout.write(String(s.schemaVersion));
s.close();
`;

function openInChild(path: string, at: number, n: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, join(ROOT, 'dist', 'state', 'store.js'), path, String(at), String(n)], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function openTogether(path: string): Promise<void> {
  // Node takes a few hundred ms to start on a busy machine: meet 1.5 s from now.
  const at = Date.now() + 1500;
  const runs = await Promise.all(Array.from({ length: PROCESSES }, (_, n) => openInChild(path, at, n)));
  for (const r of runs) {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Number(r.stdout)).toBe(MIGRATIONS.length);
  }
  const db = new Database(path, { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  expect(db.prepare('SELECT count(*) AS n FROM contents').get()).toEqual({ n: PROCESSES });
  db.close();
}

describe(`${PROCESSES} processes opening one store at once`, () => {
  it(`a store that does not exist yet (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const path = join(dir, `new-${round}`, 'state.db');
      await openTogether(path);
      expect(readdirSync(join(dir, `new-${round}`)).filter((f) => f.includes('.new-'))).toEqual([]);
    }
  }, 60_000);

  it(`a store at schema 3 that each would upgrade (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const path = join(dir, `old-${round}.db`);
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      for (const m of MIGRATIONS.slice(0, 3)) db.exec(m);
      db.pragma('user_version = 3');
      db.close();
      await openTogether(path);
    }
  }, 60_000);
});
