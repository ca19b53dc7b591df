/**
 * The runs a worker has open (run-context.ts), each set up on its first job.
 * A long-lived worker serves run after run (a scheduler plans one per site
 * and tick): a run with no job in hand for IDLE_MS is closed (its parts
 * flushed, its near-duplicate index and fetch deps freed), so the worker's
 * memory stays flat; a later job of it opens it again.
 */
import type { RunContext } from './run-context.js';

const IDLE_MS = 5 * 60_000;

interface Entry { ctx: Promise<RunContext>; busy: number; lastUsed: number }

export interface RunContexts {
  /** The run's context, held until `release`: it is not closed meanwhile. */
  use<T>(runId: string, fn: (run: RunContext) => Promise<T>): Promise<T>;
  closeAll(): Promise<void>;
}

export function runContexts(open: (runId: string) => Promise<RunContext>, idleMs = IDLE_MS): RunContexts {
  const runs = new Map<string, Entry>();
  const close = async (e: Entry): Promise<void> => void (await (await e.ctx.catch(() => null))?.close());
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [runId, e] of runs) {
      if (e.busy > 0 || now - e.lastUsed < idleMs) continue;
      runs.delete(runId);
      void close(e);
    }
  }, Math.min(idleMs, 60_000));
  sweep.unref();
  return {
    async use(runId, fn) {
      let e = runs.get(runId);
      if (!e) runs.set(runId, (e = { ctx: open(runId), busy: 0, lastUsed: Date.now() }));
      // A context that failed to open is not kept: the next job tries again.
      e.ctx.catch(() => runs.get(runId) === e && runs.delete(runId));
      e.busy++;
      try {
        return await fn(await e.ctx);
      } finally {
        e.busy--;
        e.lastUsed = Date.now();
      }
    },
    async closeAll() {
      clearInterval(sweep);
      for (const e of runs.values()) await close(e);
      runs.clear();
    },
  };
}
