import { describe, expect, it } from 'vitest';
import { createFrontier } from '../../src/crawl/frontier.js';

/** A fake host queue: per host, when its next request may start. */
const clock = (ready: Record<string, number>) => (host: string): number => ready[host] ?? Number.NEGATIVE_INFINITY;

const takeAll = <J>(f: ReturnType<typeof createFrontier<J>>, now: number, readyAt: (h: string) => number): J[] => {
  const out: J[] = [];
  for (let t = f.take(now, readyAt); t.job !== null; t = f.take(now, readyAt)) out.push(t.job);
  return out;
};

describe('crawl frontier: scheduled by host', () => {
  it('gives the job of the host due earliest, never one whose host is not due yet (FIFO would hand out a.1 first)', () => {
    const f = createFrontier<string>();
    for (const j of ['a.1', 'a.2', 'b.1', 'c.1']) f.push(j[0]!, j);
    const readyAt = clock({ a: 500, b: 100, c: 0 });
    expect(f.take(50, readyAt)).toEqual({ job: 'c.1', host: 'c' });
    // b is due at 100, a at 500: nothing now, look again at 100.
    expect(f.take(50, readyAt)).toEqual({ job: null, wakeAt: 100 });
    expect(f.take(100, readyAt)).toEqual({ job: 'b.1', host: 'b' });
    expect(f.take(499, readyAt)).toEqual({ job: null, wakeAt: 500 });
    expect(f.take(500, readyAt)).toEqual({ job: 'a.1', host: 'a' });
    expect(f.size()).toBe(1);
  });

  it('takes one job per host until that job is released (its request is then visible to readyAt)', () => {
    const f = createFrontier<string>();
    for (const j of ['a.1', 'a.2', 'a.3']) f.push('a', j);
    const readyAt = clock({});
    expect(takeAll(f, 0, readyAt)).toEqual(['a.1']);
    f.release('a');
    expect(takeAll(f, 0, readyAt)).toEqual(['a.2']);
    f.release('a');
    f.release('a'); // a second release of the same claim is harmless
    expect(takeAll(f, 0, readyAt)).toEqual(['a.3']);
  });

  it('round robin among hosts due at the same time; FIFO within a host', () => {
    const f = createFrontier<string>();
    for (const j of ['a.1', 'a.2', 'b.1', 'b.2', 'c.1']) f.push(j[0]!, j);
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = f.take(0, clock({}));
      if (t.job === null) break;
      order.push(t.job);
      f.release(t.host);
    }
    expect(order).toEqual(['a.1', 'b.1', 'c.1', 'a.2', 'b.2']);
  });

  it('a host at its in-flight cap (readyAt Infinity) is skipped; no wake-up time is known for it', () => {
    const f = createFrontier<string>();
    f.push('a', 'a.1');
    expect(f.take(0, clock({ a: Number.POSITIVE_INFINITY }))).toEqual({ job: null, wakeAt: null });
    expect(f.take(0, clock({ a: 0 }))).toEqual({ job: 'a.1', host: 'a' });
    expect(f.take(0, clock({}))).toEqual({ job: null, wakeAt: null });
  });

  it('fifty hosts behind a delay: every free slot finds a ready host (simulated, fake clock)', () => {
    // The case in miniature: 50 hosts x 4 jobs, 500 ms per-host delay, 8 slots, 100 ms per request.
    const f = createFrontier<number>();
    const hosts = Array.from({ length: 50 }, (_, h) => `h${h}`);
    for (const h of hosts) for (let j = 0; j < 4; j++) f.push(h, j);
    const lastStart = new Map<string, number>();
    const readyAt = (h: string): number => (lastStart.get(h) ?? -Infinity) + 500;
    const running: Array<{ host: string; end: number }> = [];
    let now = 0;
    let busyMin = Infinity;
    while (f.size() > 0 || running.length > 0) {
      for (let i = running.length - 1; i >= 0; i--) if (running[i]!.end <= now) running.splice(i, 1);
      while (running.length < 8) {
        const t = f.take(now, readyAt);
        if (t.job === null) break;
        lastStart.set(t.host, now);
        f.release(t.host);
        running.push({ host: t.host, end: now + 100 });
      }
      if (f.size() > 50) busyMin = Math.min(busyMin, running.length); // while many hosts still have work
      now += 10;
    }
    expect(busyMin).toBe(8);
    // 200 requests over 8 slots of 100 ms: 2.5 s at best; a host's 4 requests need 1.6 s.
    expect(now).toBeLessThanOrEqual(2600);
  });
});
