/**
 * The store's runs (store.ts): begun, claimed by a new owner when
 * resumed, kept alive by heartbeats, and ended or failed (a failed run's site
 * locks released in the same transaction).
 */
import type { SqlDb } from './sql-db.js';
import type { RunRow, SiteLocks, StateStore } from './state-store.js';

type RunMethods = Pick<StateStore, 'beginRun' | 'claimRun' | 'heartbeat' | 'failRun' | 'listRuns' | 'unfinishedRun' | 'getRun' | 'endRun'>;

function runStatements(db: SqlDb) {
  return {
    beginRun: db.prepare(`
      INSERT INTO runs (run_id, command, plan_hash, status, started_at, records_path, rejects_path, manifest_path, owner_pid, owner_host, owner_started, owner_boot, heartbeat_at)
      VALUES (@run_id, @command, @plan_hash, 'running', @started_at, @records_path, @rejects_path, @manifest_path, @owner_pid, @owner_host, @owner_started, @owner_boot, @heartbeat_at)
      ON CONFLICT (run_id) DO UPDATE SET status = 'running', ended_at = NULL, failure_reason = NULL`),
    claimRun: db.prepare('UPDATE runs SET owner_pid = ?, owner_host = ?, owner_started = ?, owner_boot = ? WHERE run_id = ?'),
    failRun: db.prepare("UPDATE runs SET status = 'failed', ended_at = ?, failure_reason = ? WHERE run_id = ? AND status = 'running'"),
    listRuns: db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY started_at DESC, run_id DESC'),
    listRunsIn: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE status = ? ORDER BY started_at DESC, run_id DESC'),
    heartbeat: db.prepare('UPDATE runs SET heartbeat_at = ? WHERE run_id = ?'),
    unfinishedRun: db.prepare<[string, string], RunRow>(
      "SELECT * FROM runs WHERE command = ? AND plan_hash = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1"),
    getRun: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?'),
    endRun: db.prepare('UPDATE runs SET status = ?, ended_at = ?, summary = ? WHERE run_id = ?'),
  };
}

/** `locks`: the same store's site locks, refreshed by the heartbeat and released by failRun. */
export function runsOver(db: SqlDb, locks: SiteLocks): RunMethods {
  const q = runStatements(db);
  const heartbeat = db.transaction((runId: string, at: number) => {
    q.heartbeat.run(at, runId);
    locks.heartbeatSiteLocks(runId, at);
  });
  const failRun = db.transaction((runId: string, at: number, reason: string): boolean => {
    const changed = q.failRun.run(at, reason, runId).changes > 0;
    locks.releaseSiteLocks(runId);
    return changed;
  });
  return {
    beginRun: (run) => void q.beginRun.run({ owner_started: null, owner_boot: null, heartbeat_at: null, ...run }),
    claimRun: (runId, pid, host, started = null, boot = null) => void q.claimRun.run(pid, host, started, boot, runId),
    heartbeat: (runId, at) => heartbeat(runId, at),
    failRun: (runId, at, reason) => failRun(runId, at, reason),
    listRuns: (status) => (status ? q.listRunsIn.all(status) : q.listRuns.all()),
    unfinishedRun: (command, planHash) => q.unfinishedRun.get(command, planHash),
    getRun: (runId) => q.getRun.get(runId),
    endRun: (runId, status, endedAt, summary) => void q.endRun.run(status, endedAt, JSON.stringify(summary), runId),
  };
}
