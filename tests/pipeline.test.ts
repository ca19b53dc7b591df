import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/schema.js';
import { createContext, processPage } from '../src/pipeline.js';

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
