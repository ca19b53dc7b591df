import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const { createContext, processPage } = await import('../dist/pipeline.js');
const { defaultConfig } = await import('../dist/config/schema.js');
const ctx = createContext(defaultConfig());
const dir = '../shared/datasets/extraction-dev/pages';
const pages = readdirSync(dir).sort().map((f) => ({ source: f, url: null, bytes: readFileSync(join(dir, f)) }));
for (let r = 0; r < 4; r++) { const t = performance.now(); for (const p of pages) processPage(p, ctx); console.log(r, ((performance.now() - t) / pages.length).toFixed(2), 'ms/page'); }
