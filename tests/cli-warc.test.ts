/**
 * `newsclean extract` over web archives, as a user runs it (dist/cli.js): a
 * folder holding a wget WARC and a warcio WARC gives one record per HTML
 * response, its url the archived WARC-Target-URI; a broken archive beside
 * them is one WARC_INVALID reject and the rest is still extracted.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from './helpers/run-cli.js';

const fixture = (name: string): string => new URL(`./fixtures/warc/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nc-cli-warc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('extract FILE.warc.gz', () => {
  it('every HTML response record of a folder of archives, with its archived URL; a broken archive is a WARC_INVALID reject', async () => {
    copyFileSync(fixture('wget-pages.warc.gz'), join(dir, 'a.warc.gz'));
    copyFileSync(fixture('warcio-pages.warc.gz'), join(dir, 'b.warc.gz'));
    const whole = readFileSync(fixture('wget-pages.warc.gz'));
    writeFileSync(join(dir, 'c-cut.warc.gz'), whole.subarray(0, 1500));
    const r = await runCli(['extract', dir, '-o', join(dir, 'out.jsonl'), '--rejects', join(dir, 'rejects.jsonl')]);
    expect(r.stderr).toContain('4 articles, 1 rejects');
    const records = jsonLines(readFileSync(join(dir, 'out.jsonl'), 'utf8')) as Array<{ url: string; title: string; lang: string }>;
    expect(records.map((x) => new URL(x.url).pathname)).toEqual(['/story-en.html', '/story-ar.html', '/ar/bridge.html', '/en/ferry.html']);
    expect(records.find((x) => x.url.endsWith('/ar/bridge.html'))).toMatchObject({ title: 'افتتاح جسر جديد فوق النهر', lang: 'ar' });
    const rejects = jsonLines(readFileSync(join(dir, 'rejects.jsonl'), 'utf8')) as Array<{ code: string; source: string }>;
    expect(rejects).toEqual([expect.objectContaining({ code: 'WARC_INVALID', source: join(dir, 'c-cut.warc.gz') })]);
  });

  it('--host, --url-pattern, --since and --until take only the records asked for', async () => {
    const archive = fixture('warcio-pages.warc.gz');
    const urls = async (...flags: string[]): Promise<string[]> => {
      const r = await runCli(['extract', archive, '-o', '-', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      return (jsonLines(r.stdout) as Array<{ url: string }>).map((x) => new URL(x.url).pathname);
    };
    expect(await urls('--url-pattern', '/ar/')).toEqual(['/ar/bridge.html']);
    expect(await urls('--host', 'NEWS.example.org', '--url-pattern', 'ferry')).toEqual(['/en/ferry.html']);
    expect(await urls('--since', '2026-11-30T07:00:00Z', '--until', '2026-11-30T09:00:00Z')).toEqual(['/ar/bridge.html', '/en/ferry.html']);
    const none = await runCli(['extract', archive, '-o', '-', '--since', '2026-12-01']);
    expect(none.stdout).toBe('');
    const both = [fixture('warcio-pages.warc.gz'), fixture('wget-pages.warc.gz')];
    const langs = async (codes: string): Promise<string[]> => {
      const r = await runCli(['extract', ...both, '-o', '-', '--lang', codes]);
      expect(r.code, r.stderr).toBe(0);
      return (jsonLines(r.stdout) as Array<{ url: string; lang: string }>).map((x) => `${new URL(x.url).pathname} ${x.lang}`);
    };
    expect(await langs('ar')).toEqual(['/ar/bridge.html ar', '/story-ar.html ar']);
    expect(await langs('en,fa')).toEqual(['/en/ferry.html en', '/story-en.html en']);
    expect((await runCli(['extract', archive, '--lang', 'arabic!'])).code).toBe(2);
    const bad = await runCli(['extract', archive, '-o', '-', '--url-pattern', '(']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--url-pattern');
  });
});
