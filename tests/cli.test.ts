/**
 * End-to-end: spawn the built CLI (dist/cli.js, compiled by tests/global-setup.ts).
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { validateRecord, validateReject } from './helpers/validate-record.js';
import { ROOT, jsonLines, runCli as run } from './helpers/run-cli.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);
/** The pages of the web archives in tests/fixtures/warc/ (two each; tests/shared/warc.test.ts checks them). */
const WARC_PAGES = 2;
/** Every page under tests/fixtures (extract walks folders recursively: the dates/ pages and the archives' pages count too). */
const FIXTURE_COUNT =
  (readdirSync(FIXTURES, { recursive: true }) as string[]).filter((f) => /\.html?(\.gz)?$/.test(f)).length +
  WARC_PAGES * (readdirSync(FIXTURES, { recursive: true }) as string[]).filter((f) => /\.warc(\.gz)?$/.test(f)).length;

const GOOD = 'en-jsonld-disagrees.html';
const TINY = 'en-tiny-page.html';

const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
const SUMMARY = /(\d+) articles, (\d+) rejects/;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent('newsclean extract', () => {
  it('extracts a directory of fixtures to -o and --rejects files', async ({ expect }) => {
    const out = join(tmp, 'out.jsonl');
    const rej = join(tmp, 'rejects.jsonl');
    const r = await run(['extract', FIXTURES, '-o', out, '--rejects', rej]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');

    const records = jsonLines(readFileSync(out, 'utf8'));
    const rejects = jsonLines(readFileSync(rej, 'utf8'));
    expect(records.length).toBeGreaterThan(0);
    expect(records.length + rejects.length).toBe(FIXTURE_COUNT);
    for (const rec of records) expect.soft(validateRecord(rec), (rec as { source?: string }).source).toEqual([]);
    for (const x of rejects) expect.soft(validateReject(x), JSON.stringify(x)).toEqual([]);
    expect(rejects.map((x) => (x as { source: string }).source)).toContain(fixture(TINY));

    const m = SUMMARY.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBe(records.length);
    expect(Number(m![2])).toBe(rejects.length);
  });

  it('--output-dir --gzip writes <dir>/<date>/<run-id>.jsonl.gz, .rejects.jsonl.gz and a manifest', async ({ expect }) => {
    const dir = join(tmp, 'runs');
    const r = await run(['extract', fixture(GOOD), fixture('en-home-page.html'), '--output-dir', dir, '--gzip']);
    expect(r.code, r.stderr).toBe(0);
    const manifestPath = /\((.+\.manifest\.json)\)/.exec(r.stderr)?.[1];
    expect(manifestPath).toMatch(/runs\/\d{4}-\d{2}-\d{2}\/extract-[^/]+\.manifest\.json$/);
    const manifest = JSON.parse(readFileSync(manifestPath!, 'utf8'));
    expect(manifest).toMatchObject({ command: 'extract', status: 'done', counts: { articles: 1, rejects: 1 }, rejects_by_code: { NOT_AN_ARTICLE: 1 } });
    expect(jsonLines(gunzipSync(readFileSync(manifest.files.records)).toString('utf8'))).toHaveLength(1);
    expect(jsonLines(gunzipSync(readFileSync(manifest.files.rejects)).toString('utf8'))).toHaveLength(1);
  });

  it('writes records to stdout when -o is not given', async ({ expect }) => {
    const r = await run(['extract', fixture(GOOD)]);
    expect(r.code, r.stderr).toBe(0);
    const records = jsonLines(r.stdout);
    expect(records).toHaveLength(1);
    expect(validateRecord(records[0])).toEqual([]);
    expect((records[0] as { source: string }).source).toBe(fixture(GOOD));
    expect(r.stderr).toMatch(/1 articles, 0 rejects/);
  });

  it('reads a .html.gz input', async ({ expect }) => {
    const dir = mkdtempSync(join(tmp, 'gz-'));
    const gz = join(dir, 'story.html.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture(GOOD))));
    const [plain, zipped] = await Promise.all([run(['extract', fixture(GOOD)]), run(['extract', gz])]);
    expect(zipped.code, zipped.stderr).toBe(0);
    const [a] = jsonLines(plain.stdout) as Array<{ text: string; title: string }>;
    const [b] = jsonLines(zipped.stdout) as Array<{ text: string; title: string; source: string }>;
    expect(validateRecord(b)).toEqual([]);
    expect(b!.source).toBe(gz);
    expect(b!.text).toBe(a!.text);
    expect(b!.title).toBe(a!.title);
  });

  it('--base-url on a single file sets record.url', async ({ expect }) => {
    const base = 'https://news.example/2024/05/weekend-trains.html';
    const r = await run(['extract', fixture(GOOD), '--base-url', base]);
    expect(r.code, r.stderr).toBe(0);
    const [rec] = jsonLines(r.stdout) as Array<{ url: string | null }>;
    expect(rec!.url).toBe(base);
    expect(validateRecord(rec)).toEqual([]);
  });

  it('--base-url on a directory joins the relative path', async ({ expect }) => {
    const dir = mkdtempSync(join(tmp, 'base-'));
    copyFileSync(fixture(GOOD), join(dir, 'weekend trains.html'));
    const r = await run(['extract', dir, '--base-url', 'https://news.example/archive/']);
    expect(r.code, r.stderr).toBe(0);
    const [rec] = jsonLines(r.stdout) as Array<{ url: string | null }>;
    expect(rec!.url).toBe('https://news.example/archive/weekend%20trains.html');
  });

  it('a --base-url that is not an absolute URL is a usage error', async ({ expect }) => {
    const r = await run(['extract', fixture(GOOD), '--base-url', 'not a url']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a missing path exits 2 with a one-line error on stderr', async ({ expect }) => {
    const missing = join(tmp, 'no-such-dir', 'page.html');
    const r = await run(['extract', missing]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(missing);
  });

  it('an unknown option exits 2', async ({ expect }) => {
    const r = await run(['extract', fixture(GOOD), '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown option/i);
  });

  it('an unknown command exits 2', async ({ expect }) => {
    const r = await run(['frobnicate', fixture(GOOD)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a config file with invalid JSON exits 3 and names the file', async ({ expect }) => {
    const cfg = join(tmp, 'broken.json');
    writeFileSync(cfg, '{"clean": {"minTextChars": 10,,}');
    const r = await run(['extract', fixture(GOOD), '--settings', cfg]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain(cfg);
  });

  it('a config file with a wrongly typed value exits 3 and names the key', async ({ expect }) => {
    const cfg = join(tmp, 'wrong-type.json');
    writeFileSync(cfg, JSON.stringify({ clean: { minTextChars: 'x' } }));
    const r = await run(['extract', fixture(GOOD), '--settings', cfg]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('clean.minTextChars');
    expect(r.stderr).toContain(cfg);
  });

  it('a config file with an unknown key exits 3 and names it', async ({ expect }) => {
    const cfg = join(tmp, 'unknown-key.json');
    writeFileSync(cfg, JSON.stringify({ clean: { minTextCharz: 10 } }));
    const r = await run(['extract', fixture(GOOD), '-c', cfg]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('minTextCharz');
    // -c is the sources file for crawl and scrape: for extract it still works, with a warning naming --settings.
    expect(r.stderr).toMatch(/-c\/--config for extract and clean-text is deprecated: use --settings FILE/);
  });

  it('flag errors name the flag; an impossible calendar day is refused', async ({ expect }) => {
    const bad = await run(['extract', fixture(GOOD), '--min-text-chars', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/option '--min-text-chars <n>' argument 'lots' is invalid\. expected a whole number/);
    const day = await run(['crawl', '--since', '2026-02-30', '-c', join(tmp, 'none.yaml')]);
    expect(day.code).toBe(2);
    expect(day.stderr).toMatch(/--since: expected an ISO date .* got: 2026-02-30/);
  });

  it('exits 1 when every input fails (only the tiny page)', async ({ expect }) => {
    const rej = join(tmp, 'tiny-rejects.jsonl');
    const r = await run(['extract', fixture(TINY), '--rejects', rej]);
    expect(r.code, r.stderr).toBe(1);
    expect(lines(r.stdout)).toEqual([]);
    const rejects = jsonLines(readFileSync(rej, 'utf8'));
    expect(rejects).toHaveLength(1);
    expect(validateReject(rejects[0])).toEqual([]);
    expect((rejects[0] as { code: string }).code).toBe('NOT_AN_ARTICLE');
    expect(r.stderr).toMatch(/0 articles, 1 rejects/);
  });

  it('NEWSCLEAN_CLEAN_MIN_TEXT_CHARS lowers the minimum: the tiny page becomes an article', async ({ expect }) => {
    const r = await run(['extract', fixture(TINY)], { NEWSCLEAN_CLEAN_MIN_TEXT_CHARS: '5' });
    expect(r.code, r.stderr).toBe(0);
    const records = jsonLines(r.stdout);
    expect(records).toHaveLength(1);
    expect(validateRecord(records[0])).toEqual([]);
  });

  it('NEWSCLEAN_CLEAN_MIN_* raise the minimum: a real (declared) article becomes a reject', async ({ expect }) => {
    const rej = join(tmp, 'env-rejects.jsonl');
    const env = { NEWSCLEAN_CLEAN_MIN_TEXT_CHARS: '1000000', NEWSCLEAN_CLEAN_MIN_DECLARED_ARTICLE_CHARS: '1000000' };
    const r = await run(['extract', fixture(GOOD), '--rejects', rej], env);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([]);
    const [x] = jsonLines(readFileSync(rej, 'utf8')) as Array<{ code: string; message: string }>;
    expect(x!.code).toBe('NOT_AN_ARTICLE');
    expect(x!.message).toContain('1000000');
  });

  it('an invalid NEWSCLEAN_ value is a config error naming the environment and key', async ({ expect }) => {
    const r = await run(['extract', fixture(GOOD)], { NEWSCLEAN_CLEAN_MIN_TEXT_CHARS: 'lots' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('environment');
    expect(r.stderr).toContain('clean.minTextChars');
  });

  it('--min-text-chars overrides the environment', async ({ expect }) => {
    const r = await run(['extract', fixture(TINY), '--min-text-chars', '5'], { NEWSCLEAN_CLEAN_MIN_TEXT_CHARS: '1000000' });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(1);
  });

  it('--version and --help exit 0', async ({ expect }) => {
    const v = await run(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = await run(['extract', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--base-url');
  });
});
