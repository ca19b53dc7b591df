import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/log.js';

function capture(): { sink: Writable; text: () => string } {
  let text = '';
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } });
  return { sink, text: () => text };
}

describe('createLogger', () => {
  it('json: one object per line with the fields given', () => {
    const c = capture();
    const log = createLogger({ level: 'info', format: 'json', sink: c.sink, isTTY: true });
    log.child({ run_id: 'crawl-1', site: 'x' }).info({ stage: 'fetch', url: 'https://x.test/a', code: 'HTTP_404' }, 'gone');
    const line = JSON.parse(c.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, run_id: 'crawl-1', site: 'x', stage: 'fetch', url: 'https://x.test/a', code: 'HTTP_404', msg: 'gone' });
  });
  it('auto: json off a terminal, pretty text on one', () => {
    const off = capture();
    createLogger({ level: 'info', format: 'auto', sink: off.sink, isTTY: false }).info('hello');
    expect(() => JSON.parse(off.text())).not.toThrow();
    const on = capture();
    createLogger({ level: 'info', format: 'auto', sink: on.sink, isTTY: true }).info({ code: 'X' }, 'hello');
    expect(on.text()).toMatch(/INFO.*hello/);
    expect(on.text().replace(/\x1b\[\d+m/g, "")).toMatch(/code: "X"/);
    expect(on.text().trim().startsWith('{')).toBe(false);
  });
  it('quiet keeps warnings and errors only, and never lowers a stricter level', () => {
    const c = capture();
    const log = createLogger({ level: 'debug', format: 'json', quiet: true, sink: c.sink });
    log.info('no');
    log.warn('yes');
    expect(c.text().trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['yes']);
    expect(createLogger({ level: 'error', quiet: true, sink: capture().sink }).level).toBe('error');
  });
});
