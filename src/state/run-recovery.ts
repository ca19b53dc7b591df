/**
 * `newsclean state runs`: which runs the store holds, whether the owner of a
 * running one still lives, and clearing a stuck run (marked `failed`, its
 * site locks released) so the next run of its plan starts afresh.
 * docs/run-recovery.md tells the story.
 */
import { NewscleanError } from '../shared/errors.js';
import { DEFAULT_LEASE_MS, type OwnerIdentity, isOwnerAlive, ownerOf } from './liveness.js';
import { type RunRow, type RunStatus, type StateStore, runOwner } from './state-store.js';

export interface RunView {
  runId: string;
  command: string;
  status: RunStatus | string;
  startedAt: string;
  endedAt: string | null;
  ownerPid: number | null;
  ownerHost: string | null;
  /** ms since the owner's last heartbeat; null when it never beat. */
  heartbeatAgeMs: number | null;
  /** Running runs only: whether the owner lives (liveness.ts); null for runs that are over. */
  alive: boolean | null;
  /** Sites this run holds locks on. */
  sites: string[];
  failureReason: string | null;
}

export interface RunsOptions { status?: RunStatus; now?: number; leaseMs?: number }

const iso = (ms: number | null | undefined): string | null => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

export const runAlive = (run: RunRow, now: number, leaseMs = DEFAULT_LEASE_MS): boolean =>
  run.status === 'running' && run.owner_pid !== null && isOwnerAlive(runOwner(run), now, leaseMs);

/**
 * For run.ts (replacing its pid-only `ownedElsewhere`): the run is going in
 * another live process, so this one must not take it up (RUN_IN_PROGRESS).
 * A run this very process owns is not "elsewhere".
 */
export function isRunOwnedElsewhere(run: RunRow, now: number, leaseMs = DEFAULT_LEASE_MS, self: OwnerIdentity = ownerOf()): boolean {
  const mine = run.owner_pid === self.pid && run.owner_host === self.host && (run.owner_started ?? null) === self.started;
  return !mine && runAlive(run, now, leaseMs);
}

export function listRunViews(store: StateStore, opts: RunsOptions = {}): RunView[] {
  const now = opts.now ?? Date.now();
  const locked = new Map<string, string[]>();
  for (const l of store.siteLocks()) locked.set(l.run_id, [...(locked.get(l.run_id) ?? []), l.site]);
  return store.listRuns(opts.status).map((r) => ({
    runId: r.run_id,
    command: r.command,
    status: r.status,
    startedAt: iso(r.started_at) ?? '',
    endedAt: iso(r.ended_at),
    ownerPid: r.owner_pid,
    ownerHost: r.owner_host,
    heartbeatAgeMs: typeof r.heartbeat_at === 'number' ? Math.max(0, now - r.heartbeat_at) : null,
    alive: r.status === 'running' ? runAlive(r, now, opts.leaseMs) : null,
    sites: locked.get(r.run_id) ?? [],
    failureReason: r.failure_reason ?? null,
  }));
}

const age = (ms: number | null): string => (ms === null ? '-' : ms < 120_000 ? `${Math.round(ms / 1000)}s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 3_600_000)}h`);

/** One aligned line per run, a header first. */
export function formatRunViews(runs: RunView[]): string {
  const rows = [
    ['run', 'command', 'status', 'started', 'owner', 'heartbeat', 'alive'],
    ...runs.map((r) => [
      r.runId,
      r.command,
      r.status,
      r.startedAt,
      r.ownerPid === null ? '-' : `${r.ownerPid}@${r.ownerHost ?? '?'}`,
      age(r.heartbeatAgeMs),
      r.alive === null ? '-' : r.alive ? 'yes' : 'no',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return `${rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`;
}

export interface ClearResult { runId: string; previousStatus: string; ownerWasAlive: boolean; locksReleased: number }

/**
 * Mark a run `failed` and release its site locks, so the next run of its plan
 * starts afresh instead of resuming it. A run whose owner lives is refused
 * (RUN_IN_PROGRESS) unless `force`; a run that is over only loses its locks.
 */
export function clearRun(store: StateStore, runId: string, opts: { force?: boolean; now?: number; leaseMs?: number } = {}): ClearResult {
  const now = opts.now ?? Date.now();
  const run = store.getRun(runId);
  if (!run) throw new NewscleanError('USAGE', `state runs --clear: no run ${runId} in ${store.path} (see newsclean state runs)`);
  const alive = runAlive(run, now, opts.leaseMs);
  if (alive && !opts.force) {
    throw new NewscleanError(
      'RUN_IN_PROGRESS',
      `run ${runId} is still going as process ${run.owner_pid} on ${run.owner_host}; stop it first, or clear it anyway with --force`,
    );
  }
  const locksReleased = store.siteLocks().filter((l) => l.run_id === runId).length;
  store.transaction(() => {
    store.failRun(runId, now, alive ? 'cleared by state runs --clear --force while its owner was alive' : 'cleared by state runs --clear');
    store.releaseSiteLocks(runId);
  });
  return { runId, previousStatus: run.status, ownerWasAlive: alive, locksReleased };
}
