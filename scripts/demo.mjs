// The end-to-end demo (`npm start`): serve the bundled demo news site
// (demo/site/) on a random loopback port, write a sources file for it, and run
// `newsclean crawl` over it. No network: everything stays on 127.0.0.1.
//
//   output/demo-sources.yaml      the generated sources file
//   output/demo.jsonl             the articles
//   output/demo.rejects.jsonl     the rejects (robots-disallowed draft, 404, PDF, PNG, front page…)
//
// demo/README.md lists what the site holds and what the crawl should produce.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from '../demo/server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist', 'cli.js');
const outDir = path.join(root, 'output');
const sourcesFile = path.join('output', 'demo-sources.yaml');

if (!existsSync(cli)) {
  console.error(`demo: ${path.relative(process.cwd(), cli) || cli} is missing; run \`npm run build\` (or \`npm ci\`) first`);
  process.exit(2);
}

const { origin, close } = await startDemoServer();

mkdirSync(outDir, { recursive: true });
const yaml = `# Written by scripts/demo.mjs for one run: the demo site is served at ${origin} (a random port).
defaults: { user_agent: "newsclean-demo/1.0 (+http://localhost)", concurrency: 4, per_host: { concurrency: 2, delay_ms: 0 }, allow_private_networks: true }
sites:
  - name: demo
    feeds: ["${origin}/feed.xml"]
    sitemaps: ["${origin}/sitemap.xml"]
    start_urls: ["${origin}/"]
    follow: { allow: ['/(ar|en)/\\d{4}/\\d{2}/', '/private/'], deny: [], max_depth: 2 }
`;
writeFileSync(path.join(root, sourcesFile), yaml);

console.log(`demo: serving the demo site (demo/site/) at ${origin}, crawling it into output/ (demo.jsonl, demo.rejects.jsonl)`);

// Each demo is a first run: its own state store and files, started afresh (-o appends, as in Scrapy).
const demoFiles = ['demo.jsonl', 'demo.rejects.jsonl', 'demo-state.db', 'demo-state.db-wal', 'demo-state.db-shm'];
for (const f of demoFiles) rmSync(path.join(root, 'output', f), { force: true });
const args = [
  cli, 'crawl',
  '--config', sourcesFile,
  '--allow-private-networks',
  '--state', path.join(outDir, 'demo-state.db'),
  '-o', path.join('output', 'demo.jsonl'),
  '--rejects', path.join('output', 'demo.rejects.jsonl'),
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });

// Ctrl-C reaches the child through the terminal too; just don't die before it does.
const ignore = () => {};
process.on('SIGINT', ignore);
process.on('SIGTERM', () => child.kill('SIGTERM'));

const code = await new Promise((resolve) => {
  child.on('error', (err) => {
    console.error(`demo: could not start the crawl: ${err.message}`);
    resolve(1);
  });
  child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
});
await close();
process.exit(code);
