/**
 * The host queue's timers are unref'd: once a run is stopped, a politeness
 * wait still pending (a 60 s delay here) must not keep the process alive.
 * Runs the built module (dist/, compiled by the global setup) in a child process.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/run-cli.js';

const script = `
import { createHostQueue } from ${JSON.stringify(join(ROOT, 'dist/stages/fetch/host-queue.js'))};
const q = createHostQueue({ concurrency: 4, perHost: { concurrency: 1, delayMs: 60000 }, maxDelayMs: 60000 });
const stop = new AbortController();
await q.run('http://a.test/1', async () => 'first');
const second = q.run('http://a.test/2', async () => 'second', stop.signal).catch((e) => e.code);
stop.abort();
console.log(await second);
`;

describe('host queue timers', () => {
  it('a pending politeness wait does not keep the process alive after the run is stopped', () => {
    const t0 = Date.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout.trim(), child.stderr).toBe('INTERRUPTED');
    expect(child.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000); // not the 60 s delay
  }, 30_000);
});
