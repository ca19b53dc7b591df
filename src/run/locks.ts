/**
 * What a run holds while it goes, against other processes sharing the state
 * store: its site locks, and the heartbeat that says its owner is alive.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Config } from '../config/schema.js';
import { NewscleanError } from '../shared/errors.js';
import type { ownerOf } from '../state/liveness.js';
import type { StateStore } from '../state/store.js';
import type { RunSpec } from './types.js';

/**
 * One crawl per site at a time, whatever its flags (a cron line and a manual
 * --max-articles run overlap): the sites of the plan are locked in the state
 * store for this run, all or none. A lock held by a live process is waited
 * for up to run.lockWaitMs, then RUN_IN_PROGRESS (exit 5); one held by a dead
 * process is taken over. Scrape and recrawl name no sites and lock none.
 */
export async function lockSites(spec: RunSpec, config: Config, store: StateStore, runId: string, owner: ReturnType<typeof ownerOf>): Promise<void> {
  const sites = spec.plan.sites.map((s) => s.name);
  if (sites.length === 0) return;
  const deadline = Date.now() + config.run.lockWaitMs;
  for (;;) {
    const got = store.acquireSiteLocks(sites, { runId, ...owner }, Date.now());
    if (got.ok) return;
    if (Date.now() >= deadline || spec.signal?.aborted) {
      const h = got.heldBy;
      throw new NewscleanError('RUN_IN_PROGRESS', `site ${h.site} is being crawled by run ${h.run_id} (process ${h.owner_pid} on ${h.owner_host}); not crawling it twice (wait longer with --lock-wait SECONDS)`);
    }
    await delay(Math.min(LOCK_POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
const LOCK_POLL_MS = 500;

/** How often a running run says it is alive (its lease, DEFAULT_LEASE_MS in state/liveness.ts, is six beats). */
const HEARTBEAT_MS = 10_000;

/** While the run goes, it tells other processes sharing the store that it is alive: now, then every HEARTBEAT_MS until stopped. */
export function startHeartbeat(store: StateStore, runId: string): { stop(): void } {
  store.heartbeat(runId, Date.now());
  const timer = setInterval(() => store.heartbeat(runId, Date.now()), HEARTBEAT_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
