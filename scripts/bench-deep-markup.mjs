#!/usr/bin/env node
// Pathological markup: pages nested N elements deep, and pages of N unclosed
// inline tags (old WYSIWYG output never closes <font> or <b>). Prints, per
// page, a bare htmlparser2 parseDocument (quadratic in depth: it unshifts its
// open-element stack), newsclean's depth-capped parseHtml, and the whole
// processPage (decode → clean → normalize → record). Generated pages; no data
// needed.
//
//   npm run bench:deep-markup
//   BENCH_DEEP_SIZES=10000,50000 npm run bench:deep-markup
import { parseDocument } from 'htmlparser2';

const { parseHtml } = await import('../dist/stages/clean/parse.js');
const { createContext, processPage } = await import('../dist/stages/pipeline.js');
const { defaultConfig } = await import('../dist/config/schema.js');
const ctx = createContext(defaultConfig());
const sizes = (process.env.BENCH_DEEP_SIZES ?? '1000,10000,50000,100000').split(',').map(Number);

const story = Array.from(
  { length: 6 },
  (_, i) => `<p>Paragraph ${i}: the council approved the new tram line on Monday after a long debate about its cost, its route and the years of building work.</p>`,
).join('');
const pages = {
  nested: (n) => `<html><body>${'<div>'.repeat(n)}<article><h1>Headline</h1>${story}</article>${'</div>'.repeat(n)}</body></html>`,
  unclosed: (n) => `<html><body><article><h1>Headline</h1>${story}</article>${'<b> '.repeat(n)}</body></html>`,
};

const ms = (fn) => {
  const t0 = performance.now();
  const out = fn();
  return [performance.now() - t0, out];
};
for (let i = 0; i < 50; i++) processPage({ source: 'warm.html', url: null, bytes: Buffer.from(pages.nested(10)) }, ctx); // warm-up

console.log(`node ${process.version}; ms per page (one run each)`);
console.log('page'.padEnd(18), 'MB'.padStart(5), 'htmlparser2'.padStart(12), 'parseHtml'.padStart(10), 'processPage'.padStart(12), ' outcome');
for (const [kind, make] of Object.entries(pages)) {
  for (const n of sizes) {
    const html = make(n);
    const [bare] = ms(() => parseDocument(html));
    const [capped] = ms(() => parseHtml(html));
    const [full, outcome] = ms(() => processPage({ source: `${kind}.html`, url: null, bytes: Buffer.from(html) }, ctx));
    const result = outcome.ok ? `article, ${outcome.record.text.split('\n\n').length} paragraphs` : outcome.reject.code;
    console.log(`${kind} ${n}`.padEnd(18), (html.length / 1e6).toFixed(2).padStart(5), bare.toFixed(0).padStart(12), capped.toFixed(0).padStart(10), full.toFixed(0).padStart(12), ` ${result}`);
  }
}
