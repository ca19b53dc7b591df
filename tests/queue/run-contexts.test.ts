/** A worker's open runs (src/queue/run-contexts.ts): opened once, kept while busy, closed when idle, opened again on a later job. */
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/queue/run-context.js';
import { runContexts } from '../../src/queue/run-contexts.js';

function fakeOpen() {
  const opened: string[] = [];
  const closed: string[] = [];
  const open = async (runId: string): Promise<RunContext> => {
    opened.push(runId);
    return { close: async () => void closed.push(runId) } as unknown as RunContext;
  };
  return { open, opened, closed };
}

describe('runContexts', () => {
  it('opens a run once for all its jobs', async () => {
    const f = fakeOpen();
    const runs = runContexts(f.open, 50);
    await Promise.all([runs.use('r1', async () => 1), runs.use('r1', async () => 2), runs.use('r2', async () => 3)]);
    expect(f.opened).toEqual(['r1', 'r2']);
    await runs.closeAll();
    expect(f.closed.sort()).toEqual(['r1', 'r2']);
  });

  it('closes a run idle past the limit, never one with a job in hand, and opens it again for a later job', async () => {
    const f = fakeOpen();
    const runs = runContexts(f.open, 30);
    let finish!: () => void;
    const busy = runs.use('busy', () => new Promise<void>((resolve) => (finish = resolve)));
    await runs.use('idle', async () => undefined);
    await new Promise((r) => setTimeout(r, 120));
    expect(f.closed).toEqual(['idle']);
    finish();
    await busy;
    await runs.use('idle', async () => undefined);
    expect(f.opened.filter((r) => r === 'idle')).toHaveLength(2);
    await runs.closeAll();
  });

  it('a run that failed to open is not kept: the next job tries again', async () => {
    let tries = 0;
    const runs = runContexts(async () => {
      tries++;
      throw new Error('no description');
    }, 1000);
    await expect(runs.use('r', async () => 1)).rejects.toThrow('no description');
    await expect(runs.use('r', async () => 1)).rejects.toThrow('no description');
    expect(tries).toBe(2);
    await runs.closeAll();
  });
});
