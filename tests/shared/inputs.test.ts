import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NewscleanError } from '../../src/shared/errors.js';
import { TEXT_EXTENSIONS, checkInputPaths, isHtmlInput, walkInputs } from '../../src/shared/inputs.js';

let root: string;

const collect = async (paths: string[], extensions?: readonly string[]): Promise<string[]> => {
  const out: string[] = [];
  for await (const p of walkInputs(paths, { extensions })) out.push(p.path);
  return out;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsclean-walk-'));
  await mkdir(join(root, 'b', 'deep'), { recursive: true });
  await mkdir(join(root, 'a'));
  for (const f of ['z.html', 'A.HTM', 'notes.txt', 'img.png', 'page.html.gz', 'b/2.htm.gz', 'b/1.html',
    'b/deep/x.HTML.GZ', 'b/deep/x.json', 'a/only.html', 'b/page.gz']) {
    await writeFile(join(root, f), '<p>x</p>');
  }
  await symlink(root, join(root, 'b', 'deep', 'loop')); // cycle back to the root
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('walkInputs', () => {
  it('yields only html inputs, recursively, in sorted order', async () => {
    const files = (await collect([root])).map((f) => f.slice(root.length + 1));
    expect(files).toEqual(['A.HTM', 'a/only.html', 'b/1.html', 'b/2.htm.gz', 'b/deep/x.HTML.GZ', 'page.html.gz', 'z.html']);
  });

  it('is deterministic across runs', async () => {
    expect(await collect([root])).toEqual(await collect([root]));
  });

  it('yields explicit files as given, in argument order', async () => {
    const z = join(root, 'z.html');
    const one = join(root, 'b', '1.html');
    expect(await collect([z, one])).toEqual([z, one]);
  });

  it('does not walk the same directory twice', async () => {
    const files = await collect([root, join(root, 'b')]);
    expect(new Set(files).size).toBe(files.length);
  });
});

describe('walkInputs with other extensions', () => {
  it('yields only text inputs (clean-text)', async () => {
    await writeFile(join(root, 'b', 'deep', 'dump.TXT.gz'), 'x');
    const files = (await collect([root], TEXT_EXTENSIONS)).map((f) => f.slice(root.length + 1));
    expect(files).toEqual(['b/deep/dump.TXT.gz', 'notes.txt']);
    await rm(join(root, 'b', 'deep', 'dump.TXT.gz'));
  });

  it('checks explicit files against the same extensions', async () => {
    await expect(checkInputPaths([join(root, 'notes.txt')], { extensions: TEXT_EXTENSIONS })).resolves.toBeUndefined();
    await expect(checkInputPaths([join(root, 'z.html')], { extensions: TEXT_EXTENSIONS })).rejects.toThrow(/not a \.txt\/\.txt\.gz file/);
  });
});

describe('checkInputPaths', () => {
  it('accepts existing directories and html files', async () => {
    await expect(checkInputPaths([root, join(root, 'z.html')])).resolves.toBeUndefined();
  });

  it('rejects missing paths with USAGE', async () => {
    const missing = join(root, 'nope');
    const err = await checkInputPaths([root, missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('USAGE');
    expect((err as NewscleanError).message).toBe(`no such file or directory: ${missing}`);
  });

  it('rejects explicit non-html files with USAGE', async () => {
    await expect(checkInputPaths([join(root, 'notes.txt')])).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('isHtmlInput', () => {
  it.each([
    ['a.html', true], ['a.HTM', true], ['a.html.gz', true], ['a.Htm.Gz', true],
    ['a.gz', false], ['a.xhtml.txt', false], ['html', false], ['a.html.bak', false],
  ])('%s → %s', (name, want) => {
    expect(isHtmlInput(name)).toBe(want);
  });
});
