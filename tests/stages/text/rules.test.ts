import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NewscleanError } from '../../../src/shared/errors.js';
import { compileTextRules, loadTextRules } from '../../../src/stages/text/rules.js';

const dir = mkdtempSync(join(tmpdir(), 'newsclean-text-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('text rules', () => {
  it('loads the bundled rules, phrases folded', () => {
    const r = loadTextRules();
    expect(r.tailMarkers.has('مقالات ذات صله')).toBe(true);
    expect(r.prose.longWords).toBeGreaterThan(r.prose.minWords);
  });

  it('falls back to the bundled file when a rules directory has none', () => {
    expect(loadTextRules(dir).linkLabels.size).toBeGreaterThan(0);
  });

  it('reports a bad file as CONFIG_INVALID', () => {
    writeFileSync(join(dir, 'plain-text.json'), '{"prose": {}}');
    expect(() => loadTextRules(dir)).toThrow(NewscleanError);
    expect(() => compileTextRules({ prose: 1 })).toThrow(/CONFIG_INVALID|prose/);
    writeFileSync(join(dir, 'plain-text.json'), '{ not json');
    expect(() => loadTextRules(dir)).toThrow(/plain-text\.json/);
  });
});
