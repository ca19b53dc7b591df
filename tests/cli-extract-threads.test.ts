/**
 * `newsclean extract --threads N`: pages cleaned on worker threads must give
 * the same records, in the same (input) order, as one thread: byte for byte
 * apart from extracted_at. A broken rule file still fails before any output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT, runCli as run } from './helpers/run-cli.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures');
const withoutTime = (jsonl: string): string => jsonl.replace(/"extracted_at":"[^"]*"/g, '"extracted_at":""');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-threads-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('newsclean extract --threads', () => {
  it('writes the same records and rejects, in input order, with 3 threads as with 1', async ({ expect }) => {
    const one = { out: join(tmp, 'one.jsonl'), rej: join(tmp, 'one.rejects.jsonl') };
    const three = { out: join(tmp, 'three.jsonl'), rej: join(tmp, 'three.rejects.jsonl') };
    const [a, b] = await Promise.all([
      run(['extract', FIXTURES, '-o', one.out, '--rejects', one.rej]),
      run(['extract', FIXTURES, '--threads', '3', '-o', three.out, '--rejects', three.rej]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const records = readFileSync(one.out, 'utf8');
    expect(records.split('\n').length).toBeGreaterThan(20); // the fixtures give many records: order can be wrong
    expect(withoutTime(readFileSync(three.out, 'utf8'))).toBe(withoutTime(records));
    expect(readFileSync(three.rej, 'utf8')).toBe(readFileSync(one.rej, 'utf8'));
    expect(b.stderr.match(/(\d+) articles, (\d+) rejects/)?.slice(1)).toEqual(a.stderr.match(/(\d+) articles, (\d+) rejects/)?.slice(1));
  });

  it('a broken rule file exits 3 (CONFIG_INVALID) and writes nothing, as with one thread', async ({ expect }) => {
    const rules = mkdtempSync(join(tmp, 'rules-'));
    writeFileSync(join(rules, 'phrases.json'), '{ not json');
    const out = join(tmp, 'broken.jsonl');
    const r = await run(['extract', join(FIXTURES, 'en-jsonld-disagrees.html'), '--threads', '2', '--rules-dir', rules, '-o', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('phrases.json');
    expect(() => readFileSync(out)).toThrow();
  });

  it('refuses a --threads that is not a whole number (exit 2)', async ({ expect }) => {
    const r = await run(['extract', FIXTURES, '--threads', 'two', '-o', join(tmp, 'never.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--threads');
  });
});
