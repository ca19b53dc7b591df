/**
 * A folder that cannot be listed is an INPUT_UNREADABLE entry, not a silent
 * gap in the input. readdir is made to fail for one folder (tests run as
 * root, where permissions do not stop it).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readdir: (async (path: string, opts: unknown) => {
      if (String(path).endsWith('locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
      return real.readdir(path, opts as never);
    }) as typeof real.readdir,
  };
});

const { walkInputs } = await import('../../src/shared/inputs.js');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsclean-walk-locked-'));
  await mkdir(join(root, 'locked'));
  await writeFile(join(root, 'a.html'), '<p>x</p>');
  await writeFile(join(root, 'locked', 'b.html'), '<p>x</p>');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('walkInputs', () => {
  it('yields an unlistable folder as an INPUT_UNREADABLE entry, in walk order, and goes on', async () => {
    const out = [];
    for await (const e of walkInputs([root])) out.push({ path: e.path, code: e.error?.code ?? null });
    expect(out).toEqual([
      { path: join(root, 'a.html'), code: null },
      { path: join(root, 'locked'), code: 'INPUT_UNREADABLE' },
    ]);
  });
});
