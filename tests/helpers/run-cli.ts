/** Spawn the built CLI (dist/cli.js, compiled by tests/global-setup.ts) with no NEWSCLEAN_* variables from the outer shell. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NEWSCLEAN_')) env[k] = v;
  return { ...env, ...extra };
}

export function runCli(args: string[], extraEnv: Record<string, string> = {}, opts: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: cleanEnv(extraEnv) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const jsonLines = (s: string): unknown[] => s.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
