/**
 * What `newsclean extract` loads before it has anything to clean: an empty
 * folder (cron's common case) must cost only the process start, so neither
 * the stages that clean nor the fetch stage's network side (HTTP client,
 * proxies, robots, feeds) may be loaded for it. A module that sneaks back in
 * through an import shows up here by name.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/run-cli.js';

const HOOK = join(ROOT, 'tests', 'helpers', 'log-loads.mjs');
const empty = mkdtempSync(join(tmpdir(), 'newsclean-empty-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

function loadedBy(args: string[]): { code: number | null; loaded: string[] } {
  const r = spawnSync(process.execPath, ['--import', HOOK, CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
  return { code: r.status, loaded };
}

const NETWORK = /\/dist\/stages\/fetch\/|\/node_modules\/(got|hpagent|robots-parser|ipaddr\.js)\//;

describe('extract of saved pages', () => {
  it('cleans a page without loading the fetch stage (reading and decoding files are shared helpers)', () => {
    const { code, loaded } = loadedBy(['extract', join(ROOT, 'tests', 'fixtures', 'en-jsonld-disagrees.html'), '-o', '/dev/null']);
    expect(code).toBe(0);
    expect(loaded.some((u) => u.endsWith('/dist/stages/pipeline.js'))).toBe(true);
    expect(loaded.filter((u) => NETWORK.test(u))).toEqual([]);
  });
});

describe('extract on an empty folder', () => {
  it('loads no stage that cleans and none of the network code', () => {
    const { code, loaded } = loadedBy(['extract', empty, '-o', '/dev/null']);
    expect(code).toBe(0);
    expect(loaded.some((u) => u.endsWith('/dist/shared/inputs.js'))).toBe(true); // the hook saw the walk: the list is real
    const forbidden = loaded.filter((u) =>
      /\/dist\/stages\/(fetch|clean|normalize|text)\/|\/dist\/stages\/pipeline\.js|\/node_modules\/(got|hpagent|cheerio|eld|robots-parser|piscina|better-sqlite3)\//.test(u),
    );
    expect(forbidden).toEqual([]);
  });
});
