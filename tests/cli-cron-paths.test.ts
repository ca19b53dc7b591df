/**
 * End to end: a cron line without `cd`. Relative state and output paths live
 * beside the sources file (config/sources.yaml → the folder above config/),
 * or under NEWSCLEAN_HOME, never in whatever directory cron starts in.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteSite, startRouteSite } from './helpers/route-site.js';
import { runCli } from './helpers/run-cli.js';

let tmp: string;
let site: RouteSite;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'newsclean-cron-'));
  site = await startRouteSite();
  site.articles(['/c/1.html', '/c/2.html']);
});
afterAll(async () => {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A checkout-like project: <dir>/config/sources.yaml and nothing else. */
function project(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'sources.yaml'), `defaults: { per_host: { delay_ms: 0 } }\nsites:\n  - name: c\n    sitemaps: ["${site.origin}/sitemap.xml"]\n`);
  return dir;
}

const day = (dir: string): string[] => readdirSync(join(dir, 'output'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl') && !f.endsWith('.rejects.jsonl'));

describe.concurrent('paths for cron', () => {
  it('-c /abs/config/sources.yaml from another working directory: state and runs under /abs/output', async () => {
    const dir = project('abs');
    const elsewhere = join(tmp, 'cron-cwd');
    mkdirSync(elsewhere, { recursive: true });
    const r = await runCli(['crawl', '-c', join(dir, 'config', 'sources.yaml'), '--allow-private-networks', '--threads', '0', '--quiet'], {}, { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'output', 'state.db'))).toBe(true);
    expect(day(dir)).toHaveLength(1);
    expect(readdirSync(elsewhere)).toEqual([]);
    const again = await runCli(['crawl', '-c', join(dir, 'config', 'sources.yaml'), '--state', 'output/state.db', '--allow-private-networks', '--threads', '0', '--quiet'], {}, { cwd: elsewhere });
    expect(again.stderr).toMatch(/0 articles, 0 rejects, 2 already known/); // the same store: incremental
  });

  it('NEWSCLEAN_HOME: the default sources file, state and output are found there', async () => {
    const dir = project('home');
    const r = await runCli(['crawl', '--allow-private-networks', '--threads', '0', '--quiet'], { NEWSCLEAN_HOME: dir }, { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'output', 'state.db'))).toBe(true);
    expect(day(dir)).toHaveLength(1);
    expect(existsSync(join(tmp, 'output'))).toBe(false);
  });
});
