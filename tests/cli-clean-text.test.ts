/**
 * End-to-end for `newsclean clean-text`: spawn the built CLI (dist/cli.js,
 * compiled by tests/global-setup.ts) over tests/fixtures/text/, hold each
 * record to tests/fixtures/text/expectations.json and to the record schema.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { validateRecord, validateReject } from './helpers/validate-record.js';
import { ROOT, jsonLines, runCli as run } from './helpers/run-cli.js';

const TEXT = join(ROOT, 'tests', 'fixtures', 'text');
const fixture = (name: string) => join(TEXT, name);

interface Expectation {
  title: string | null;
  authors: string[];
  published?: string;
  lang?: string;
  source_agency?: string;
  paragraphs: number;
  unchanged?: boolean;
  with: string[];
  without: string[];
  once?: string[];
}
interface Rec {
  source: string;
  url: string | null;
  title: string | null;
  authors: string[];
  published_at: string | null;
  lang: string | null;
  source_agency: string | null;
  text: string;
}
const expectations = JSON.parse(readFileSync(join(TEXT, 'expectations.json'), 'utf8')) as Record<string, Expectation>;

const SUMMARY = /^newsclean clean-text: (\d+) articles, (\d+) rejects, \d+\.\d\d s$/m;
const STORY =
  'The river rose by two metres overnight after three days of heavy rain. Residents of the lower town moved their cars to higher ground. ' +
  'The regional council said the bridge would stay closed until Friday morning, when engineers will inspect the old stone arches.';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-clean-text-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent('newsclean clean-text', () => {
  it('cleans the text fixtures as expected, every record valid', async ({ expect }) => {
    const out = join(tmp, 'fixtures.jsonl');
    const rej = join(tmp, 'fixtures.rejects.jsonl');
    const r = await run(['clean-text', TEXT, '-o', out, '--rejects', rej]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(rej, 'utf8')).toBe('');
    const records = jsonLines(readFileSync(out, 'utf8')) as Rec[];
    expect(records.map((x) => basename(x.source)).sort()).toEqual(Object.keys(expectations).sort());
    expect(SUMMARY.exec(r.stderr)?.slice(1, 3), r.stderr).toEqual([String(records.length), '0']);

    for (const rec of records) {
      const name = basename(rec.source);
      const want = expectations[name]!;
      expect.soft(validateRecord(rec), name).toEqual([]);
      expect.soft(rec.url, name).toBeNull();
      expect.soft(rec.title, name).toBe(want.title);
      expect.soft(rec.authors, name).toEqual(want.authors);
      if (want.published) expect.soft(rec.published_at ?? '', name).toMatch(new RegExp(`^${want.published}`));
      if (want.lang) expect.soft(rec.lang, name).toBe(want.lang);
      expect.soft(rec.source_agency, name).toBe(want.source_agency ?? null);
      expect.soft(rec.text.split('\n\n'), name).toHaveLength(want.paragraphs);
      for (const s of want.with) expect.soft(rec.text, `${name}: with`).toContain(s);
      for (const s of want.without) expect.soft(rec.text, `${name}: without`).not.toContain(s);
      for (const s of want.once ?? []) expect.soft(rec.text.split(s).length - 1, `${name}: once ${s}`).toBe(1);
      if (want.unchanged) {
        // A dump with no boilerplate comes back as it was, minus its title line.
        const lines = readFileSync(fixture(name), 'utf8').split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
        expect.soft(rec.text, `${name}: unchanged`).toBe(lines.filter((l) => l !== want.title).join('\n\n'));
      }
    }
  });

  it('writes to stdout by default and reads a .txt.gz', async ({ expect }) => {
    const gz = join(tmp, 'dump.txt.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('en-clean.txt'))));
    const [plain, zipped] = await Promise.all([run(['clean-text', fixture('en-clean.txt')]), run(['clean-text', gz])]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(zipped.code, zipped.stderr).toBe(0);
    const [a] = jsonLines(plain.stdout) as Rec[];
    const [b] = jsonLines(zipped.stdout) as Rec[];
    expect(validateRecord(b)).toEqual([]);
    expect(b!.source).toBe(gz);
    expect(b!.text).toBe(a!.text);
    expect(plain.stderr).toMatch(SUMMARY);
  });

  it('a short dump is a NOT_AN_ARTICLE reject; all inputs failing exits 1', async ({ expect }) => {
    const short = join(tmp, 'short.txt');
    writeFileSync(short, 'Home\nNews\nA short line of text.\n');
    const rej = join(tmp, 'short.rejects.jsonl');
    const r = await run(['clean-text', short, '--rejects', rej]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const [x] = jsonLines(readFileSync(rej, 'utf8'));
    expect(validateReject(x)).toEqual([]);
    expect(x).toMatchObject({ source: short, code: 'NOT_AN_ARTICLE' });
    expect(r.stderr).toMatch(/0 articles, 1 rejects/);
  });

  it('--min-text-chars and -c apply as for extract', async ({ expect }) => {
    const story = join(tmp, 'story.txt');
    writeFileSync(story, STORY);
    const strict = await run(['clean-text', story, '--min-text-chars', '5000']);
    expect(strict.code).toBe(1);
    const conf = join(tmp, 'config.json');
    writeFileSync(conf, JSON.stringify({ clean: { minTextChars: 10 } }));
    const loose = await run(['clean-text', story, '--settings', conf, '--log-level', 'silent']);
    expect(loose.code, loose.stderr).toBe(0);
    expect((jsonLines(loose.stdout)[0] as Rec).text).toBe(STORY);
  });

  it('--fold adds text_folded; --rules-dir swaps in a plain-text.json of its own', async ({ expect }) => {
    const plain = await run(['clean-text', fixture('ar-clean.txt')]);
    const folded = await run(['clean-text', fixture('ar-clean.txt'), '--fold']);
    const [a] = jsonLines(plain.stdout) as Record<string, unknown>[];
    const [b] = jsonLines(folded.stdout) as Record<string, unknown>[];
    expect(a!['text_folded']).toBeUndefined();
    expect(typeof b!['text_folded']).toBe('string');
    expect(b!['text_folded']).not.toMatch(/[أإآة\u064B-\u065F]/);

    const rules = join(tmp, 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'plain-text.json'), '{"prose": "many"}');
    const bad = await run(['clean-text', fixture('ar-clean.txt'), '--rules-dir', rules]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/CONFIG_INVALID.*plain-text\.json/);
  });

  it('usage errors exit 2: an .html file, a missing path, a bad flag', async ({ expect }) => {
    const html = join(ROOT, 'tests', 'fixtures', 'en-tiny-page.html');
    for (const args of [[html], [join(tmp, 'missing.txt')], [TEXT, '--min-text-chars', 'many'], [TEXT, '--base-url', 'https://x.example/']]) {
      const r = await run(['clean-text', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    const r = await run(['clean-text', html]);
    expect(r.stderr).toMatch(/USAGE: not a \.txt\/\.txt\.gz file/);
  });
});
