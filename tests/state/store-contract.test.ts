/** The SQLite store (src/state/store.ts) keeps the StateStore contract, in memory and in a file; the contract names no database. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../src/state/state-store.js';
import { trackStateStores } from '../helpers/state-stores.js';
import { describeStateStoreContract } from './state-store-contract.js';

const { open, tempPath } = trackStateStores('nc-contract-');

describeStateStoreContract('SQLite in memory', (): StateStore => open());
describeStateStoreContract('SQLite file', (): StateStore => open(tempPath()));

describe('the contract (state-store.ts)', () => {
  it('names no database: no driver imported, no raw handle', () => {
    const source = readFileSync(new URL('../../src/state/state-store.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from ['"](better-sqlite3|pg|postgres)['"]/);
    expect(source).not.toMatch(/^\s*readonly db\b/m);
  });

  it('the SQLite store has every method the contract lists, and the fault guard keeps them', () => {
    const source = readFileSync(new URL('../../src/state/state-store.ts', import.meta.url), 'utf8');
    const body = source.slice(source.indexOf('export interface SiteLocks'));
    const methods = [...body.matchAll(/^ {2}(\w+)(?:<\w+>)?\(/gm)].map((m) => m[1]!);
    expect(methods.length).toBeGreaterThan(25);
    const s = open() as unknown as Record<string, unknown>;
    expect(methods.filter((m) => typeof s[m] !== 'function')).toEqual([]);
  });
});
