/**
 * The import rules of eslint.config.js, checked on probe sources: each layer
 * may import only the layers below it, and a stage is seen from outside only
 * through its index.ts. A probe that breaks a rule must be reported; one that
 * keeps it must not (so the rule neither rots nor over-reaches).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, specifier: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layer rule', () => {
  it.each([
    ['src/stages/clean/probe.ts', '../../crawl/index.js'],
    ['src/stages/fetch/probe.ts', '../../run/index.js'],
    ['src/state/probe.ts', '../run/index.js'],
    ['src/dedupe/probe.ts', '../state/store.js'],
    ['src/crawl/probe.ts', '../cli/args.js'],
    ['src/run/probe.ts', '../schedule/scheduler.js'],
    ['src/run/probe.ts', '../queue/worker.js'],
    ['src/crawl/probe.ts', '../queue/page-jobs.js'],
    ['src/queue/probe.ts', '../cli/args.js'],
    ['src/shared/probe.ts', '../config/schema.js'],
    ['src/stages/pipeline-probe.ts', '../crawl/index.js'],
  ])('%s may not import %s', async (file, spec) => {
    expect(await restricted(file, spec)).toBe(true);
  });

  it.each([
    ['src/cli/probe.ts', '../run/index.js'],
    ['src/run/probe.ts', '../crawl/index.js'],
    ['src/crawl/probe.ts', '../state/store.js'],
    ['src/run/probe.ts', '../dedupe/index.js'],
    ['src/queue/probe.ts', '../run/index.js'],
    ['src/cli/probe.ts', '../queue/worker.js'],
    ['src/stages/clean/probe.ts', '../../shared/url.js'],
  ])('%s may import %s', async (file, spec) => {
    expect(await restricted(file, spec)).toBe(false);
  });
});

describe('stage surface rule', () => {
  it.each([
    ['src/crawl/probe.ts', '../stages/fetch/http.js'],
    ['src/cli/probe.ts', '../stages/export/run-files.js'],
    ['src/stages/text/probe.ts', '../normalize/arabic-fold.js'],
    ['src/stages/pipeline-probe.ts', './clean/parse.js'],
    ['src/stages/pipeline-probe.ts', './fetch/robots.js'],
    ['src/cli/probe.ts', '../stages/clean/local.js'],
    ['src/stages/clean/probe.ts', '../fetch/http.js'],
  ])('%s may not import the stage internal %s', async (file, spec) => {
    expect(await restricted(file, spec)).toBe(true);
  });

  it.each([
    ['src/crawl/probe.ts', '../stages/fetch/index.js'],
    ['src/stages/text/probe.ts', '../normalize/index.js'],
    ['src/stages/clean/probe.ts', './parse.js'],
    ['src/stages/pipeline-probe.ts', './clean/index.js'],
    ['src/stages/pipeline-probe.ts', '../shared/decode.js'],
  ])('%s may import %s', async (file, spec) => {
    expect(await restricted(file, spec)).toBe(false);
  });
});
