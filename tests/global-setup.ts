/**
 * Vitest global setup: compile src/ to dist/ once before any test file runs,
 * so the CLI tests spawn the current code (node dist/cli.js).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: root, stdio: 'inherit' });
}
