import { describe, expect, it } from 'vitest';
import { STORY_BODY as BODY, cleanTexts as texts } from '../../helpers/clean-texts.js';

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
