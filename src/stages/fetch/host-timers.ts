/**
 * The timers behind host-queue.ts. Politeness waits must never hold the
 * process open by themselves (a stopped run must not wait out a Retry-After),
 * so they are unref'd; a keep-alive handle is held instead while tasks are
 * pending.
 */

/** Resolves after `ms`, or at once on abort; the default timer is unref'd and cleared on abort. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined, sleep?: (ms: number) => Promise<void>): Promise<void> {
  if (sleep) return sleep(ms);
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface WakeTimer {
  /** Wake in `ms` (due at `when`, the queue's clock), unless a wake-up at or before `when` is already set. */
  at(ms: number, when: number): void;
}

/** One pending wake-up at a time: the earliest asked for wins; unref'd so it never holds the process open by itself. */
export function createWakeTimer(onWake: () => void, sleep?: (ms: number) => Promise<void>): WakeTimer {
  let timer: NodeJS.Timeout | null = null;
  let due = Number.POSITIVE_INFINITY;
  return {
    at(ms: number, when: number): void {
      if (sleep) {
        // Injected clocks cannot be cancelled: each wake-up just runs dispatch again.
        void sleep(ms).then(onWake);
        return;
      }
      if (timer && due <= when) return;
      if (timer) clearTimeout(timer);
      due = when;
      timer = setTimeout(() => {
        timer = null;
        due = Number.POSITIVE_INFINITY;
        onWake();
      }, ms);
      timer.unref();
    },
  };
}

export interface KeepAlive {
  hold(): void;
  release(): void;
}

/** A ref'd handle held while tasks are pending, so unref'd politeness timers cannot let a running crawl exit early. */
export function createKeepAlive(): KeepAlive {
  let handle: NodeJS.Timeout | null = null;
  return {
    hold(): void {
      handle ??= setInterval(() => undefined, 1 << 30);
    },
    release(): void {
      if (handle) clearInterval(handle);
      handle = null;
    },
  };
}
