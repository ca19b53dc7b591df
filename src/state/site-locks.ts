/**
 * Per-site locks in the state store, so two crawls of the same site that
 * overlap (a cron run and a manual `--max-articles 50`, with different plans)
 * do not both fetch it. A lock belongs to a run; it is held while its owner
 * lives (src/state/liveness.ts: same rules as a run's owner), refreshed by the
 * run's heartbeat, and taken over once the owner is dead.
 */
import type { SqlDb } from './sql-db.js';
import { DEFAULT_LEASE_MS, isOwnerAlive } from './liveness.js';
import type { AcquireResult, SiteLockOwner, SiteLockRow, SiteLocks } from './state-store.js';

export type { AcquireResult, SiteLockOwner, SiteLockRow, SiteLocks } from './state-store.js';

export const lockOwnerAlive = (row: SiteLockRow, now: number, leaseMs: number): boolean =>
  isOwnerAlive({ pid: row.owner_pid, host: row.owner_host, started: row.owner_started, boot: row.owner_boot, heartbeatAt: row.heartbeat_at }, now, leaseMs);

export function siteLocksOver(db: SqlDb): SiteLocks {
  const q = {
    get: db.prepare<[string], SiteLockRow>('SELECT * FROM site_locks WHERE site = ?'),
    put: db.prepare(`
      INSERT INTO site_locks (site, run_id, owner_pid, owner_host, owner_started, owner_boot, heartbeat_at, acquired_at)
      VALUES (@site, @runId, @pid, @host, @started, @boot, @now, @now)
      ON CONFLICT (site) DO UPDATE SET run_id = @runId, owner_pid = @pid, owner_host = @host, owner_started = @started,
        owner_boot = @boot, heartbeat_at = @now,
        acquired_at = CASE WHEN site_locks.run_id = @runId THEN site_locks.acquired_at ELSE @now END`),
    heartbeat: db.prepare('UPDATE site_locks SET heartbeat_at = ? WHERE run_id = ?'),
    release: db.prepare('DELETE FROM site_locks WHERE run_id = ?'),
    all: db.prepare<[], SiteLockRow>('SELECT * FROM site_locks ORDER BY site'),
  };
  const acquire = db.transaction((sites: string[], owner: SiteLockOwner, now: number, leaseMs: number): AcquireResult => {
    const wanted = [...new Set(sites)].sort();
    // Check them all before writing any, so a refusal leaves nothing behind.
    for (const site of wanted) {
      const row = q.get.get(site);
      if (row && row.run_id !== owner.runId && lockOwnerAlive(row, now, leaseMs)) {
        return { ok: false, heldBy: { site, run_id: row.run_id, owner_pid: row.owner_pid, owner_host: row.owner_host } };
      }
    }
    for (const site of wanted) q.put.run({ site, runId: owner.runId, pid: owner.pid, host: owner.host, started: owner.started, boot: owner.boot, now });
    return { ok: true };
  });
  return {
    // IMMEDIATE: the write lock is taken before the check, so two runs cannot both see a site free.
    acquireSiteLocks: (sites, owner, now, leaseMs = DEFAULT_LEASE_MS) => acquire.immediate(sites, owner, now, leaseMs),
    heartbeatSiteLocks: (runId, now) => void q.heartbeat.run(now, runId),
    releaseSiteLocks: (runId) => void q.release.run(runId),
    siteLocks: () => q.all.all(),
  };
}
