/**
 * Vitest global setup: compile src/ to dist/ once before any test file runs,
 * so the CLI tests spawn the current code (node dist/cli.js). The teardown
 * fails the run if a test left files in output/ (tests write to temp folders:
 * `npm test` must leave a checkout as it found it).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: root, stdio: 'inherit' });
  const output = join(root, 'output');
  const list = (): string[] => {
    try {
      return readdirSync(output);
    } catch {
      return [];
    }
  };
  const before = new Set(list());
  return () => {
    const left = list().filter((f) => !before.has(f));
    if (left.length === 0) return;
    // An error thrown here is only printed by vitest; the exit status must say it too.
    process.stderr.write(`global teardown: tests left files in output/: ${left.join(', ')} (give each run a temp --output-dir / --state)\n`);
    process.exitCode = 1;
  };
}
