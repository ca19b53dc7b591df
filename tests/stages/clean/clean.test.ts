import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.js';
import { clean } from '../../../src/stages/clean/index.js';
import { loadCleanRules } from '../../../src/stages/clean/rules.js';

const rules = loadCleanRules();
const config = defaultConfig().clean;
const texts = (html: string) =>
  clean({ source: 't.html', url: null, html, encoding: 'utf-8', encodingSource: 'default' }, { rules, config }).blocks.map((b) => b.text);

const BODY = [
  'Volunteers in the village of Ashford spent eleven weekends this summer rebuilding the stone wall that runs along the old mill pond.',
  'The wall, which dates from the 1840s, had partly collapsed into the water after a storm two winters ago, and the footpath was closed.',
  'Retired mason Peter Lowe, who led the work, said the group reused almost every original stone, fitting them back by hand.',
]
  .map((p) => `<p>${p}</p>`)
  .join('');

describe('clean: the top of the body', () => {
  it('drops a kicker and section label above the headline inside the body element', () => {
    const out = texts(`<html><body><article><p>Environment</p><p>Local news</p><h1>Wall rebuilt</h1>${BODY}</article></body></html>`);
    expect(out[0]).toBe('Wall rebuilt');
    expect(out).not.toContain('Environment');
  });

  it('keeps text above an h1 that comes late (an h1 deep in the body is not the headline)', () => {
    const out = texts(`<html><body><article>${BODY}<h1>Part two</h1>${BODY}</article></body></html>`);
    expect(out[0]).toMatch(/^Volunteers/);
  });
});
