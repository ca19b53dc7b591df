/**
 * The ledger's copy of the frontier (src/run/ledger-frontier.ts): discovered
 * entries written in a batch on the next turn of the event loop or by the
 * next save, before any page is marked done; a store fault in the deferred
 * write is thrown by the next call, not lost as an uncaught exception.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createFrontierBuffer } from '../../src/run/ledger-frontier.js';
import type { FrontierItem, StateStore } from '../../src/state/store.js';

/** The four store calls the buffer makes, recorded. */
function fakeStore(opts: { pending?: FrontierItem[]; failAdd?: Error } = {}) {
  const calls: string[] = [];
  const store = {
    isOpen: () => true,
    pendingFrontier: () => opts.pending ?? [],
    addToFrontier: (_run: string, items: FrontierItem[]) => {
      if (opts.failAdd) throw opts.failAdd;
      calls.push(`add ${items.map((i) => i.url_key).join(',')}`);
    },
    frontierDone: (_run: string, key: string) => calls.push(`done ${key}`),
  };
  return { store: store as unknown as StateStore, calls };
}

const entry = (key: string) => ({ key, url: `https://x.example/${key}`, depth: 1, site: 'x' });

describe('frontier buffer', () => {
  it('writes the entries of a turn in one batch, on the next turn', async () => {
    const { store, calls } = fakeStore();
    const f = createFrontierBuffer(store, 'run-1');
    f.add([entry('a'), entry('b')]);
    f.add([entry('c')]);
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toEqual(['add a,b,c']);
  });

  it('writes what is unsaved before marking a page done; only pending keys are marked', () => {
    const { store, calls } = fakeStore({ pending: [{ url_key: 'old', url: 'https://x.example/old', depth: 0, site: 'x' }] });
    const f = createFrontierBuffer(store, 'run-1');
    f.add([entry('a')]);
    expect(f.isPending('a') && f.isPending('old')).toBe(true);
    f.done('a');
    f.done('unknown');
    f.done('old');
    expect(calls).toEqual(['add a', 'done a', 'done old']);
    expect(f.isPending('a')).toBe(false);
  });

  it('a fault in the deferred write is thrown by the next call', async () => {
    const fault = new Error('disk full');
    const { store } = fakeStore({ failAdd: fault });
    const f = createFrontierBuffer(store, 'run-1');
    f.add([entry('a')]);
    await nextTurn();
    expect(() => f.save()).toThrow(fault);
    expect(() => f.done('a')).toThrow(fault);
  });
});
