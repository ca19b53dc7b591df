import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MIN_THROTTLE_MS,
  createHostQueue,
  type HostQueueOptions,
} from '../../../src/stages/fetch/host-queue.js';
import { hostKey } from '../../../src/shared/url.js';

// Fake timers drive both the queue's default now/sleep (Date.now, setTimeout) and the tasks.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const options = (o: Partial<HostQueueOptions> = {}): HostQueueOptions => ({
  concurrency: 16,
  perHost: { concurrency: 2, delayMs: 1000 },
  maxDelayMs: 30_000,
  ...o,
});

/** Tracks starts and requests in flight, per host and overall. */
function recorder() {
  const starts: Array<{ host: string; t: number }> = [];
  const inFlight = new Map<string, number>();
  let total = 0;
  const max = { total: 0, perHost: new Map<string, number>() };
  const task =
    (host: string, ms: number) =>
    async (): Promise<string> => {
      starts.push({ host, t: Date.now() });
      const n = (inFlight.get(host) ?? 0) + 1;
      inFlight.set(host, n);
      max.perHost.set(host, Math.max(max.perHost.get(host) ?? 0, n));
      max.total = Math.max(max.total, ++total);
      await wait(ms);
      inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
      total -= 1;
      return `${host} done`;
    };
  const startsOf = (host: string) => starts.filter((s) => s.host === host).map((s) => s.t);
  return { task, starts, startsOf, max };
}

/** Let every timer fire, then collect the results. */
async function drain<T>(promises: Array<Promise<T>>): Promise<T[]> {
  await vi.runAllTimersAsync();
  return Promise.all(promises);
}

const gaps = (ts: number[]): number[] => ts.slice(1).map((t, i) => t - (ts[i] as number));

describe('hostKey', () => {
  it.each([
    ['https://News.Example/a', 'news.example'],
    ['https://news.example:443/a', 'news.example'],
    ['http://news.example:80/a', 'news.example'],
    ['https://news.example:8443/a', 'news.example:8443'],
    ['http://news.example:443/a', 'news.example:443'],
  ])('%s → %s', (url, key) => expect(hostKey(url)).toBe(key));

  it('rejects a relative URL with INVALID_URL', () => {
    expect(() => hostKey('/a')).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
  });
});

describe('concurrency caps', () => {
  it('never exceeds perHost.concurrency on one host', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 2, delayMs: 0 } }));
    const r = recorder();
    const runs = Array.from({ length: 10 }, (_, i) => q.run(`https://a.example/${i}`, r.task('a', 100)));
    expect(q.size()).toBe(10);
    await drain(runs);
    expect(r.max.perHost.get('a')).toBe(2);
    expect(r.starts).toHaveLength(10);
    expect(q.size()).toBe(0);
  });

  it('never exceeds the global cap across hosts, nor the per-host cap', async () => {
    const q = createHostQueue(options({ concurrency: 3, perHost: { concurrency: 2, delayMs: 0 } }));
    const r = recorder();
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    const runs = hosts.flatMap((h) =>
      Array.from({ length: 4 }, (_, i) => q.run(`https://${h}.example/${i}`, r.task(h, 50 + i * 10))),
    );
    await drain(runs);
    expect(r.max.total).toBe(3);
    for (const h of hosts) expect(r.max.perHost.get(h)).toBeLessThanOrEqual(2);
    expect(r.starts).toHaveLength(20);
  });
});

describe('per-host interval', () => {
  it('spaces starts on one host by delayMs while different hosts run in parallel', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 2, delayMs: 1000 } }));
    const r = recorder();
    // Tasks outlive the interval, so a second slot frees while others wait for their turn.
    const runs = ['a', 'b'].flatMap((h) =>
      Array.from({ length: 4 }, (_, i) => q.run(`https://${h}.example/${i}`, r.task(h, 2500))),
    );
    await drain(runs);
    for (const h of ['a', 'b']) {
      expect(r.startsOf(h)).toEqual([0, 1000, 2500, 3500]);
      for (const gap of gaps(r.startsOf(h))) expect(gap).toBeGreaterThanOrEqual(1000);
    }
    expect(r.max.total).toBe(4); // a and b overlapped
  });

  it('keeps the gap when a global slot frees late (two tasks woken for one turn start once)', async () => {
    // One global slot, host a has two slots: both a tasks wake at the same time, only one may start.
    const q = createHostQueue(options({ concurrency: 1, perHost: { concurrency: 2, delayMs: 1000 } }));
    const r = recorder();
    const runs = [
      q.run('https://b.example/1', r.task('b', 1500)),
      q.run('https://a.example/1', r.task('a', 10)),
      q.run('https://a.example/2', r.task('a', 10)),
      q.run('https://a.example/3', r.task('a', 10)),
    ];
    await drain(runs);
    expect(r.max.total).toBe(1);
    for (const gap of gaps(r.startsOf('a'))) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(r.startsOf('a')).toEqual([1500, 2500, 3500]);
  });

  it('uses injected now/sleep', async () => {
    let t = 10_000;
    const sleeps: number[] = [];
    const q = createHostQueue(
      options({
        perHost: { concurrency: 1, delayMs: 700 },
        now: () => t,
        sleep: async (ms) => {
          sleeps.push(ms);
          t += ms;
        },
      }),
    );
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) await q.run('https://a.example/', async () => void starts.push(t));
    expect(starts).toEqual([10_000, 10_700, 11_400]);
    expect(sleeps).toEqual([700, 700]);
  });
});

describe('setCrawlDelay', () => {
  it('raises the interval to the crawl delay, never below perHost.delayMs', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    expect(q.intervalFor('a.example')).toBe(1000);
    q.setCrawlDelay('a.example', 3000);
    q.setCrawlDelay('b.example', 200);
    expect(q.intervalFor('a.example')).toBe(3000);
    expect(q.intervalFor('b.example')).toBe(1000);

    const r = recorder();
    const runs = Array.from({ length: 3 }, (_, i) => q.run(`https://A.example/${i}`, r.task('a', 10)));
    await drain(runs);
    expect(r.startsOf('a')).toEqual([0, 3000, 6000]);
  });

  it('is the floor recover() returns to', () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    q.setCrawlDelay('a.example', 3000);
    q.throttle('a.example', null);
    expect(q.intervalFor('a.example')).toBe(6000);
    q.recover('a.example');
    q.recover('a.example');
    expect(q.intervalFor('a.example')).toBe(3000);
  });
});

describe('throttle and recover', () => {
  it('doubles up to maxDelayMs, then halves back down to base', () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 }, maxDelayMs: 5000 }));
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      q.throttle('a.example', null);
      seen.push(q.intervalFor('a.example'));
    }
    expect(seen).toEqual([2000, 4000, 5000, 5000]);
    seen.length = 0;
    for (let i = 0; i < 4; i++) {
      q.recover('A.EXAMPLE'); // host keys are case-insensitive
      seen.push(q.intervalFor('a.example'));
    }
    expect(seen).toEqual([2500, 1250, 1000, 1000]);
    expect(q.intervalFor('b.example')).toBe(1000); // other hosts untouched
  });

  it('starts from MIN_THROTTLE_MS when delayMs is 0, and recovers to 0', () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 0 } }));
    q.throttle('a.example', null);
    expect(q.intervalFor('a.example')).toBe(MIN_THROTTLE_MS);
    for (let i = 0; i < 20; i++) q.recover('a.example');
    expect(q.intervalFor('a.example')).toBe(0);
  });

  it('never caps below a crawl delay larger than maxDelayMs', () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 }, maxDelayMs: 5000 }));
    q.setCrawlDelay('a.example', 8000);
    q.throttle('a.example', null);
    expect(q.intervalFor('a.example')).toBe(8000);
  });

  it('applies a new interval to the very next start', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    const r = recorder();
    const first = q.run('https://a.example/1', async () => {
      await r.task('a', 10)();
      q.throttle('a.example', null); // as if this response were a 429
    });
    const second = q.run('https://a.example/2', r.task('a', 10));
    await drain<unknown>([first, second]);
    expect(r.startsOf('a')).toEqual([0, 2000]);
  });

  it('honours retryAfter: no start on that host before now + retryAfterMs; other hosts unaffected', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    const r = recorder();
    await vi.advanceTimersByTimeAsync(500);
    q.throttle('a.example', 10_000); // at t=500
    expect(q.intervalFor('a.example')).toBe(2000);
    const runs = [
      q.run('https://a.example/1', r.task('a', 10)),
      q.run('https://a.example/2', r.task('a', 10)),
      q.run('https://b.example/1', r.task('b', 10)),
    ];
    await drain(runs);
    expect(r.startsOf('a')).toEqual([10_500, 12_500]);
    expect(r.startsOf('b')).toEqual([500]);
  });

  it('a Retry-After arriving while a task waits for its turn pushes that task back', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    const r = recorder();
    const first = q.run('https://a.example/1', r.task('a', 10));
    const second = q.run('https://a.example/2', r.task('a', 10)); // due at 1000
    await vi.advanceTimersByTimeAsync(200);
    q.throttle('a.example', 5000); // at t=200
    await drain([first, second]);
    expect(r.startsOf('a')).toEqual([0, 5200]);
  });
});

describe('errors, size and onIdle', () => {
  it('propagates a rejection to the caller and keeps the queue working', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 100 } }));
    const boom = q.run('https://a.example/1', async () => {
      throw new Error('boom');
    });
    const ok = q.run('https://a.example/2', async () => 42);
    const other = q.run('https://b.example/1', async () => 'b');
    const settled = Promise.allSettled([boom, ok, other]);
    await vi.runAllTimersAsync();
    const [rBoom, rOk, rOther] = await settled;
    expect(rBoom).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'boom' }) });
    expect(rOk).toEqual({ status: 'fulfilled', value: 42 });
    expect(rOther).toEqual({ status: 'fulfilled', value: 'b' });
    expect(q.size()).toBe(0);
  });

  it('rejects an invalid URL without queueing it', async () => {
    const q = createHostQueue(options());
    const task = vi.fn(async () => 1);
    await expect(q.run('not a url', task)).rejects.toMatchObject({ code: 'INVALID_URL' });
    expect(task).not.toHaveBeenCalled();
    expect(q.size()).toBe(0);
  });

  it('size counts queued and running tasks; onIdle resolves when all have settled', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    await q.onIdle(); // idle from the start
    const r = recorder();
    const runs = [
      q.run('https://a.example/1', r.task('a', 100)),
      q.run('https://a.example/2', r.task('a', 100)),
      q.run('https://b.example/1', async () => {
        throw new Error('x');
      }),
    ];
    runs[2]?.catch(() => undefined);
    let idle = false;
    void q.onIdle().then(() => (idle = true));
    expect(q.size()).toBe(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(q.size()).toBe(1); // a/2 waits for its turn at t=1000
    expect(idle).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(q.size()).toBe(0);
    expect(idle).toBe(true);
    await Promise.allSettled(runs);
  });
});

describe('a graceful stop (signal)', () => {
  it('tasks not yet started fail with INTERRUPTED, a politeness wait ends at once, a running task finishes', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 10_000 } }));
    const controller = new AbortController();
    const rec = recorder();
    const running = q.run('http://a.test/1', rec.task('a.test', 500), controller.signal);
    const waiting = q.run('http://a.test/2', rec.task('a.test', 500), controller.signal); // its turn is 10 s away
    const queued = q.run('http://a.test/3', rec.task('a.test', 500), controller.signal);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    const settled = Promise.allSettled([running, waiting, queued]);
    await vi.advanceTimersByTimeAsync(500);
    const [first, second, third] = await settled;
    expect(first).toEqual({ status: 'fulfilled', value: 'a.test done' });
    for (const r of [second, third]) {
      expect(r!.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'INTERRUPTED' });
    }
    expect(rec.starts).toHaveLength(1);
    expect(Date.now()).toBeLessThan(1000); // nobody sat out the 10 s interval
  });
});

describe('waits hold no global slot (the ready queue)', () => {
  it('a free global slot goes to the host that is due, not to the first task queued', async () => {
    // One slot. a's second task waits for a's 1000 ms turn; b's tasks are due at once and run meanwhile.
    const q = createHostQueue(options({ concurrency: 1, perHost: { concurrency: 1, delayMs: 1000 } }));
    const r = recorder();
    const runs = [
      q.run('https://a.example/1', r.task('a', 100)),
      q.run('https://a.example/2', r.task('a', 100)),
      q.run('https://b.example/1', r.task('b', 100)),
      q.run('https://c.example/1', r.task('c', 100)),
    ];
    await drain(runs);
    expect(r.starts).toEqual([
      { host: 'a', t: 0 },
      { host: 'b', t: 100 },
      { host: 'c', t: 200 },
      { host: 'a', t: 1000 },
    ]);
  });

  it('a retry back-off (notBefore) or a Retry-After of 120 s leaves the slots to other hosts', async () => {
    const q = createHostQueue(options({ concurrency: 1, perHost: { concurrency: 1, delayMs: 0 }, maxDelayMs: 120_000 }));
    const r = recorder();
    q.throttle('a.example', 120_000);
    const runs = [
      q.run('https://a.example/1', r.task('a', 10)),
      q.run('https://z.example/1', r.task('z', 10), { notBefore: 60_000 }),
      ...Array.from({ length: 5 }, (_, i) => q.run(`https://b.example/${i}`, r.task('b', 10))),
    ];
    await drain(runs);
    expect(r.startsOf('b')).toEqual([0, 10, 20, 30, 40]);
    expect(r.startsOf('z')).toEqual([60_000]);
    expect(r.startsOf('a')).toEqual([120_000]);
  });

  it('an abort ends a back-off wait at once with INTERRUPTED', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 0 } }));
    const controller = new AbortController();
    const task = vi.fn(async () => 1);
    const waiting = q.run('https://a.example/1', task, { signal: controller.signal, notBefore: 120_000 });
    const settled = waiting.then(() => 'started', (e: { code?: string }) => e.code);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(await settled).toBe('INTERRUPTED');
    expect(task).not.toHaveBeenCalled();
    expect(q.size()).toBe(0);
  });

  it('sent() moves the host start to when the request actually left', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    const starts: number[] = [];
    const first = q.run('https://a.example/1', async (sent) => {
      starts.push(Date.now());
      await wait(300); // connection set-up
      sent();
      await wait(10);
    });
    const second = q.run('https://a.example/2', async () => void starts.push(Date.now()));
    await drain<unknown>([first, second]);
    expect(starts).toEqual([0, 1300]);
  });
});

describe('awaitSent: a request still connecting has no known next turn', () => {
  it('with two slots per host, the second request waits for the first to be on the wire, then the interval', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 2, delayMs: 1000 } }));
    const starts: number[] = [];
    const first = q.run(
      'https://a.example/1',
      async (sent) => {
        starts.push(Date.now());
        await wait(1500); // a new connection that took long to reach the server
        sent();
        await wait(100);
      },
      { awaitSent: true },
    );
    const second = q.run('https://a.example/2', async () => void starts.push(Date.now()), { awaitSent: true });
    expect(q.readyAt('a.example')).toBe(Number.POSITIVE_INFINITY);
    await drain<unknown>([first, second]);
    expect(starts).toEqual([0, 2500]); // not 1000: the server saw the first request at 1500
  });

  it('a task that fails before sending frees the host at its end, counted from its dispatch', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 2, delayMs: 1000 } }));
    const starts: number[] = [];
    const failed = q.run('https://a.example/1', async () => {
      starts.push(Date.now());
      await wait(200);
      throw new Error('refused');
    }, { awaitSent: true });
    failed.catch(() => undefined);
    const next = q.run('https://a.example/2', async () => void starts.push(Date.now()), { awaitSent: true });
    await drain<unknown>([failed.catch(() => 'x'), next]);
    expect(starts).toEqual([0, 1000]);
  });
});

describe('readyAt and per-host settings', () => {
  it('readyAt: at once for a new host, the turn after a start, Infinity while a task waits or the host is full', async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    expect(q.readyAt('a.example')).toBe(Number.NEGATIVE_INFINITY);
    const first = q.run('https://a.example/1', () => wait(100));
    expect(q.readyAt('a.example')).toBe(Number.POSITIVE_INFINITY); // one in flight, cap 1
    await vi.advanceTimersByTimeAsync(100);
    expect(q.readyAt('a.example')).toBe(1000);
    const second = q.run('https://a.example/2', () => wait(100));
    expect(q.readyAt('a.example')).toBe(Number.POSITIVE_INFINITY); // waiting for its turn
    await drain([first, second]);
    expect(q.readyAt('a.example')).toBe(2000);
  });

  it("configureHost: a site's own delay and concurrency for one host, others keep the defaults", async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    q.configureHost('a.example', { delayMs: 200 });
    q.configureHost('b.example', { concurrency: 3, delayMs: 0 });
    const r = recorder();
    const runs = [
      ...Array.from({ length: 3 }, (_, i) => q.run(`https://a.example/${i}`, r.task('a', 10))),
      ...Array.from({ length: 3 }, (_, i) => q.run(`https://b.example/${i}`, r.task('b', 500))),
      ...Array.from({ length: 2 }, (_, i) => q.run(`https://c.example/${i}`, r.task('c', 10))),
    ];
    await drain(runs);
    expect(r.startsOf('a')).toEqual([0, 200, 400]);
    expect(r.startsOf('b')).toEqual([0, 0, 0]);
    expect(r.max.perHost.get('b')).toBe(3);
    expect(r.startsOf('c')).toEqual([0, 1000]);
    q.setCrawlDelay('a.example', 700); // Crawl-delay still raises a site's delay
    expect(q.intervalFor('a.example')).toBe(700);
  });
});

describe('hop (a redirect inside a running request)', () => {
  it("waits for the target host's turn, counts as a start there, and stops on abort", async () => {
    const q = createHostQueue(options({ perHost: { concurrency: 1, delayMs: 1000 } }));
    const hops: number[] = [];
    await drain([q.run('https://a.example/1', async () => void hops.push(Date.now()))]);
    const first = q.hop('https://a.example/moved').then(() => hops.push(Date.now()));
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    expect(hops).toEqual([0, 1000]);
    expect(q.readyAt('a.example')).toBe(2000);
    const stop = new AbortController();
    const second = q.hop('https://a.example/again', stop.signal).then(() => 'went', (e: { code?: string }) => e.code);
    await vi.advanceTimersByTimeAsync(100);
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(await second).toBe('INTERRUPTED');
  });
});
