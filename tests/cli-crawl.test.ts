/**
 * End to end for `newsclean crawl` and `newsclean scrape`: the built CLI
 * against the loopback fault-injection server; usage and config errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type FaultServer, startFaultServer } from './helpers/fault-server.js';
import { jsonLines, runCli } from './helpers/run-cli.js';
import { validateRecord, validateReject } from './helpers/validate-record.js';

let server: FaultServer;
let tmp: string;
let stores = 0;
/** Each run with a state store and output folder of its own, so concurrent tests never share one. */
const run = (args: string[]) => runCli([...args, '--state', join(tmp, `state-${++stores}.db`), '--output-dir', join(tmp, `out-${stores}`)]);
beforeAll(async () => {
  server = await startFaultServer({ okPages: 2 });
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-crawl-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent('newsclean scrape', () => {
  it('writes records and coded reject lines; exit 0', async ({ expect }) => {
    const out = join(tmp, 'scrape.jsonl');
    const rej = join(tmp, 'scrape.rejects.jsonl');
    const r = await run(['scrape', `${server.origin}/ok/1.html`, `${server.origin}/gone.html`, '--allow-private-networks', '--threads', '1', '-o', out, '--rejects', rej]);
    expect(r.code, r.stderr).toBe(0);
    const [rec] = jsonLines(readFileSync(out, 'utf8'));
    expect(validateRecord(rec)).toEqual([]);
    const [x] = jsonLines(readFileSync(rej, 'utf8'));
    expect(validateReject(x)).toEqual([]);
    expect(x).toMatchObject({ url: `${server.origin}/gone.html`, code: 'HTTP_404', attempts: 1 });
    expect(r.stderr).toMatch(/^newsclean scrape: 1 articles, 1 rejects, [\d.]+ s \(.+\.manifest\.json\)$/m);
  });

  it('refuses loopback targets by default: PRIVATE_NETWORK, exit 1', async ({ expect }) => {
    const rej = join(tmp, 'private.rejects.jsonl');
    const r = await run(['scrape', `${server.origin}/ok/1.html`, '--threads', '0', '-o', '-', '--rejects', rej]);
    expect(r.code).toBe(1);
    expect(jsonLines(readFileSync(rej, 'utf8'))[0]).toMatchObject({ code: 'PRIVATE_NETWORK', message: expect.stringContaining('allow with --allow-private-networks') });
  });

  it('--urls reads a list; no URLs at all is a usage error', async ({ expect }) => {
    const list = join(tmp, 'urls.txt');
    writeFileSync(list, `# two pages\n${server.origin}/ok/1.html\n\n${server.origin}/ok/2.html\n`);
    const r = await run(['scrape', '--urls', list, '--allow-private-networks', '--threads', '0', '-o', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(2);
    const none = await run(['scrape', '-o', '-']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/USAGE: scrape: give URLs/);
  });
});

describe.concurrent('newsclean crawl', () => {
  it('crawls a sources file (feed + sitemap) once per URL', async ({ expect }) => {
    const sources = join(tmp, 'sources.yaml');
    writeFileSync(
      sources,
      `defaults: { per_host: { concurrency: 2, delay_ms: 0 } }\nsites:\n  - name: fault\n    feeds: ["${server.origin}/feed.xml"]\n    sitemaps: ["${server.origin}/sitemap.xml"]\n`,
    );
    const r = await run(['crawl', '-c', sources, '--allow-private-networks', '--threads', '1', '-o', '-', '--rejects', join(tmp, 'crawl.rejects.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    const urls = (jsonLines(r.stdout) as Array<{ url: string }>).map((x) => x.url).sort();
    expect(urls).toEqual([`${server.origin}/ok/1.html`, `${server.origin}/ok/2.html`]);
  });

  it('config errors: one line naming the file and key, exit 3; a bad flag value exits 2', async ({ expect }) => {
    const missing = await run(['crawl', '-c', join(tmp, 'nope.yaml')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope\.yaml: file not found/);
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'sites:\n  - name: x\n    feeds: ["ftp://example.org/feed"]\n');
    const r = await run(['crawl', '-c', bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bad\.yaml: sites\.0\.feeds\.0: /);
    const since = await run(['crawl', '-c', bad, '--since', 'last tuesday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since/);
  });
});
