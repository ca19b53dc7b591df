import { readWarc } from './dist/shared/warc.js';
import { openWarcWriter } from './dist/stages/export/index.js';
import { articleHtml, articlePath } from './scripts/lib/generated-site.mjs';
import { existsSync, renameSync } from 'node:fs';
const f = '/tmp/w23/rb.warc.gz';
if (!existsSync(f)) {
  const w = await openWarcWriter('/tmp/w23/rb', { prefix: 'rb', maxBytes: 1e12, info: { a: 'b' } });
  for (let n = 1; n <= 3000; n++) { const html = Buffer.from(articleHtml(n)); await w.write({ url: `https://n.example${articlePath(n)}`, date: new Date(), ip: null, request: { method: 'GET', target: articlePath(n), headers: [] }, response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/html']], body: html, truncated: null } }); }
  await w.close(); renameSync(w.files()[0], f);
}
const res = [];
for (let r = 0; r < 7; r++) { const c0 = process.cpuUsage(); let n = 0; for await (const it of readWarc(f, { maxBytes: 5e7 })) n++; const c = process.cpuUsage(c0); res.push((c.user + c.system) / 1000 / n); }
res.sort((a, b) => a - b);
console.log('median CPU ms/record', res[3].toFixed(3), 'min', res[0].toFixed(3));
