/**
 * Where rule files live and how they are read. Every rule file
 * (config/rules/*.json) is read through here so a bad file always fails the
 * same way: CONFIG_INVALID naming the file and the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { NewscleanError } from '../shared/errors.js';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bundledRulesDir = join(packageRoot, 'config', 'rules');
export const bundledSitesDir = join(packageRoot, 'config', 'sites');

/**
 * The file `name` in `rulesDir` when that directory has one, else the bundled
 * file: a rules directory may override only the files it cares about.
 */
export function ruleFilePath(rulesDir: string | undefined, name: string): string {
  const own = rulesDir ? join(rulesDir, name) : '';
  return own && existsSync(own) ? own : join(bundledRulesDir, name);
}

export function readJsonFile(path: string | URL): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new NewscleanError('CONFIG_INVALID', `${String(path)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Validate parsed rule data; the error names the file and the key path. */
export function parseRuleData<T>(schema: z.ZodType<T>, data: unknown, source: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new NewscleanError('CONFIG_INVALID', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

export const readRuleFile = <T>(schema: z.ZodType<T>, path: string | URL): T => parseRuleData(schema, readJsonFile(path), String(path));
