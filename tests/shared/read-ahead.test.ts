import { describe, expect, it } from 'vitest';
import { readAhead } from '../../src/shared/read-ahead.js';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('readAhead', () => {
  it('yields results in input order even when later reads finish first', async () => {
    const delays = [30, 1, 10, 0, 5];
    const read = (i: number) => new Promise<number>((resolve) => setTimeout(() => resolve(i), delays[i]));
    const out: number[] = [];
    for await (const r of readAhead(from([0, 1, 2, 3, 4]), read, 3)) out.push(r);
    expect(out).toEqual([0, 1, 2, 3, 4]);
  });

  it('never has more than depth + 1 reads in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const read = async (i: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return i;
    };
    const out: number[] = [];
    for await (const r of readAhead(from(Array.from({ length: 20 }, (_, i) => i)), read, 2)) {
      out.push(r);
      await new Promise((res) => setTimeout(res, 3)); // a slow consumer
    }
    expect(out).toHaveLength(20);
    expect(most).toBe(3);
  });

  it('starts the next read before the consumer asks for it', async () => {
    const started: number[] = [];
    const gen = readAhead(from([0, 1, 2]), async (i) => (started.push(i), i), 1);
    expect((await gen.next()).value).toBe(0);
    expect(started).toEqual([0, 1]);
  });

  it('handles an empty input', async () => {
    const out: number[] = [];
    for await (const r of readAhead(from<number>([]), async (i) => i, 2)) out.push(r);
    expect(out).toEqual([]);
  });
});

describe('readAhead failures', () => {
  it('rethrows a failed read at its turn, after the earlier results', async () => {
    const read = async (i: number) => {
      if (i === 2) throw new Error('boom');
      await new Promise((r) => setTimeout(r, 10));
      return i;
    };
    const out: number[] = [];
    await expect(async () => {
      for await (const r of readAhead(from([0, 1, 2, 3]), read, 3)) out.push(r);
    }).rejects.toThrow('boom');
    expect(out).toEqual([0, 1]);
  });
});
