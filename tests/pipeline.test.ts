import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { defaultConfig } from '../src/config/schema.js';
import { createLogger } from '../src/shared/log.js';
import { createContext, processPage } from '../src/stages/pipeline.js';

const ctx = createContext(defaultConfig());

/** A page with one short paragraph of its own (about 120 characters); `head` decides what it declares. */
const shortPage = (head: string) =>
  Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Council meets</title>${head}</head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council meets</h1><p>The town council met on Monday evening and agreed, after a short debate, to repair the old footbridge.</p></article>
<footer>© Lakeshore Tribune</footer></body></html>`);

describe('processPage: the minimum article length', () => {
  it('keeps a short post when the page declares an article (og:type)', () => {
    const out = processPage({ source: 'short.html', url: null, bytes: shortPage('<meta property="og:type" content="article">') }, ctx);
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.record.text).toContain('repair the old footbridge');
  });

  it('rejects the same short text as NOT_AN_ARTICLE when nothing declares an article', () => {
    const out = processPage({ source: 'short.html', url: null, bytes: shortPage('') }, ctx);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.reject.code).toBe('NOT_AN_ARTICLE');
  });

  it('still rejects a declared article with next to no text', () => {
    const bytes = Buffer.from('<html><head><meta property="og:type" content="article"></head><body><article><p>Loading…</p></article></body></html>');
    const out = processPage({ source: 'empty.html', url: null, bytes }, ctx);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.reject.code).toBe('NOT_AN_ARTICLE');
  });
});

describe('createContext: clean.rulesDir overrides rule files one by one', () => {
  const page = Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bridge reopens</title>
<meta property="og:type" content="article">
<link rel="canonical" href="https://news.example/bridge?campaign_ref=spring&id=7">
<meta property="article:pubdate" content="2021-03-04">
<meta name="author" content="Lakeshore Wire"></head>
<body><article><h1>Bridge reopens</h1><p>The old footbridge over the river reopened on Thursday after a repair that took most of the winter, the council said.</p></article></body></html>`);

  it('reads dates.json, bylines.json and url-params.json from the rules folder, the rest from the bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsclean-rules-'));
    const bundled = (name: string) => JSON.parse(readFileSync(join('config/rules', name), 'utf8'));
    const bylines = bundled('bylines.json');
    bylines.agencies.push({ name: 'Lakeshore Wire', aliases: ['Lakeshore Wire'] });
    const urls = bundled('url-params.json');
    urls.tracking.push('campaign_ref');
    const dates = bundled('dates.json');
    dates.metaKeys.published.push('article:pubdate');
    writeFileSync(join(dir, 'bylines.json'), JSON.stringify(bylines));
    writeFileSync(join(dir, 'url-params.json'), JSON.stringify(urls));
    writeFileSync(join(dir, 'dates.json'), JSON.stringify(dates));

    const before = processPage({ source: 'bridge.html', url: null, bytes: page }, ctx);
    const config = defaultConfig();
    config.clean.rulesDir = dir;
    const after = processPage({ source: 'bridge.html', url: null, bytes: page }, createContext(config));
    if (!before.ok || !after.ok) throw new Error('expected both to be articles');
    expect(before.record.authors).toEqual(['Lakeshore Wire']);
    expect(before.record.source_agency).toBeNull();
    expect(before.record.canonical_url).toContain('campaign_ref');
    expect(before.record.published_at).toBeNull();
    // An agency credited with no person is still the credit, and now the source agency too.
    expect(after.record.authors).toEqual(['Lakeshore Wire']);
    expect(after.record.source_agency).toBe('Lakeshore Wire');
    expect(after.record.canonical_url).toBe('https://news.example/bridge?id=7');
    expect(after.record.published_at).toBe('2021-03-04T00:00:00Z');
  });

  it('fails with CONFIG_INVALID naming the file when an override is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsclean-rules-'));
    writeFileSync(join(dir, 'dates.json'), JSON.stringify({ metaKeys: 'none' }));
    const config = defaultConfig();
    config.clean.rulesDir = dir;
    expect(() => createContext(config)).toThrow(/CONFIG_INVALID|dates\.json/);
  });
});

describe('processTextDump: a dump saved in windows-1256 with no BOM', () => {
  it('is detected and decoded, not read as broken UTF-8', async () => {
    const { default: iconv } = await import('iconv-lite');
    const { createTextContext, processTextDump } = await import('../src/stages/pipeline.js');
    const utf8 = readFileSync('tests/fixtures/text/ar-clean.txt');
    const legacy = iconv.encode(utf8.toString('utf8'), 'windows-1256');
    const tctx = createTextContext(defaultConfig());
    const a = processTextDump({ source: 'a.txt', url: null, bytes: utf8 }, tctx);
    const b = processTextDump({ source: 'b.txt', url: null, bytes: legacy }, tctx);
    if (!a.ok || !b.ok) throw new Error('expected two articles');
    expect(b.record.text).toBe(a.record.text);
    expect(b.record.text).not.toContain('\ufffd');
  });
});

describe('processPage: logging', () => {
  const logged = (level: string, bytes: Buffer): Record<string, unknown>[] => {
    let text = '';
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } });
    const log = createLogger({ level, format: 'json', sink, isTTY: false });
    processPage({ source: 'council.html', url: null, bytes }, createContext(defaultConfig(), log));
    return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  const article = shortPage('<meta property="og:type" content="article">');

  it('at debug, an article logs one "extracted" line with its source and body origin', () => {
    const lines = logged('debug', article).filter((l) => l['msg'] === 'extracted');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ source: 'council.html', stage: 'clean', body: expect.any(String) });
  });

  it('at debug, a reject logs its code with the source; at info, neither logs', () => {
    expect(logged('debug', shortPage(''))).toEqual([expect.objectContaining({ source: 'council.html', code: 'NOT_AN_ARTICLE' })]);
    expect(logged('info', article)).toEqual([]);
    expect(logged('info', shortPage(''))).toEqual([]);
  });
});
