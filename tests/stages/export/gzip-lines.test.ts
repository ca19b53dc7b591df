import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipChecked } from '../../../src/stages/export/gzip-lines.js';

describe('gunzipChecked', () => {
  it('whole gzip: decoded in one strict pass, complete', () => {
    const whole = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"b":2}\n')]);
    expect(gunzipChecked(whole)).toEqual({ text: Buffer.from('{"a":1}\n{"b":2}\n'), complete: true });
  });
  it('a torn last member: what can be decoded, not complete', () => {
    const first = gzipSync('{"a":1}\n');
    const torn = Buffer.concat([first, gzipSync('{"b":2}\n').subarray(0, 12)]);
    const r = gunzipChecked(torn);
    expect(r.complete).toBe(false);
    expect(r.text.toString()).toMatch(/^\{"a":1\}\n/);
  });
  it('empty: complete, nothing', () => {
    expect(gunzipChecked(Buffer.alloc(0))).toEqual({ text: Buffer.alloc(0), complete: true });
  });
});
