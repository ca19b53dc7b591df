import { readFileSync } from 'node:fs';

/**
 * newsclean's version, read once from package.json. The path is relative to
 * this module, so it works from src/ (vitest) and from dist/ (tsc mirrors src).
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
