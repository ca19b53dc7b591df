/** Per-site locks: all or nothing, held while the owner lives, taken over from a dead owner. */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bootId, ownerOf } from '../../src/state/liveness.js';
import { trackStateStores } from '../helpers/state-stores.js';

const { open, tempPath } = trackStateStores('nc-site-locks-');
const NOW = 1_000_000_000_000;
const me = (runId: string) => ({ runId, ...ownerOf() });
/** A process that has exited and been reaped: its identity names nobody. */
async function deadOwner(runId: string) {
  const c = spawn('true', { stdio: 'ignore' });
  const owner = { runId, ...ownerOf(c.pid!) };
  await new Promise((r) => c.on('close', r));
  return { ...owner, started: owner.started ?? 1 };
}

describe('acquireSiteLocks', () => {
  it('locks free sites, and the same run may take them again (a resumed run)', () => {
    const s = open();
    expect(s.acquireSiteLocks(['a', 'b'], me('run1'), NOW)).toEqual({ ok: true });
    expect(s.acquireSiteLocks(['a', 'b'], me('run1'), NOW + 5)).toEqual({ ok: true });
    expect(s.siteLocks().map((l) => [l.site, l.run_id, l.acquired_at, l.heartbeat_at])).toEqual([
      ['a', 'run1', NOW, NOW + 5],
      ['b', 'run1', NOW, NOW + 5],
    ]);
  });

  it('refuses a site held by a live owner, all or nothing, saying who holds it', () => {
    const s = open();
    s.acquireSiteLocks(['b'], me('cron'), NOW);
    const r = s.acquireSiteLocks(['a', 'b', 'c'], me('manual'), NOW + 1);
    expect(r).toEqual({ ok: false, heldBy: { site: 'b', run_id: 'cron', owner_pid: process.pid, owner_host: hostname() } });
    expect(s.siteLocks().map((l) => l.site)).toEqual(['b']); // a and c were not taken
  });

  it.runIf(bootId() !== null)('takes over a lock whose owner is dead, even with a fresh heartbeat', async () => {
    const s = open();
    s.acquireSiteLocks(['a'], await deadOwner('killed'), NOW);
    expect(s.acquireSiteLocks(['a'], me('next'), NOW + 1)).toEqual({ ok: true });
    expect(s.siteLocks()[0]).toMatchObject({ site: 'a', run_id: 'next', owner_pid: process.pid, acquired_at: NOW + 1 });
  });

  it('an owner on another host holds its lock while its heartbeat is within the lease, not after', () => {
    const s = open();
    const remote = { runId: 'remote', pid: 1234, host: 'other-host', started: 5, boot: 'x' };
    s.acquireSiteLocks(['a'], remote, NOW);
    expect(s.acquireSiteLocks(['a'], me('local'), NOW + 30_000, 60_000).ok).toBe(false);
    s.heartbeatSiteLocks('remote', NOW + 50_000);
    expect(s.acquireSiteLocks(['a'], me('local'), NOW + 100_000, 60_000).ok).toBe(false);
    expect(s.acquireSiteLocks(['a'], me('local'), NOW + 110_001, 60_000).ok).toBe(true);
  });

  it('two stores on one file: the second run is refused while the first holds the site', () => {
    const path = tempPath();
    const a = open(path);
    const b = open(path);
    expect(a.acquireSiteLocks(['news'], me('first'), NOW).ok).toBe(true);
    expect(b.acquireSiteLocks(['news'], me('second'), NOW).ok).toBe(false);
  });
});

describe('heartbeat and release', () => {
  it('the run heartbeat refreshes its site locks; release frees them; failRun releases them too', () => {
    const s = open();
    s.beginRun({ run_id: 'r1', command: 'crawl', plan_hash: 'p', started_at: NOW, records_path: null, rejects_path: null, manifest_path: null, owner_pid: process.pid, owner_host: hostname() });
    s.acquireSiteLocks(['a', 'b'], me('r1'), NOW);
    s.acquireSiteLocks(['c'], me('r2'), NOW);
    s.heartbeat('r1', NOW + 10_000);
    expect(s.siteLocks().map((l) => l.heartbeat_at)).toEqual([NOW + 10_000, NOW + 10_000, NOW]);
    s.releaseSiteLocks('r2');
    expect(s.siteLocks().map((l) => l.site)).toEqual(['a', 'b']);
    expect(s.failRun('r1', NOW + 20_000, 'FETCH_FAILED storm')).toBe(true);
    expect(s.siteLocks()).toEqual([]);
    expect(s.getRun('r1')).toMatchObject({ status: 'failed', ended_at: NOW + 20_000, failure_reason: 'FETCH_FAILED storm' });
    expect(s.unfinishedRun('crawl', 'p')).toBeUndefined(); // the next run starts afresh
    expect(s.failRun('r1', NOW + 30_000, 'again')).toBe(false); // only a running run fails
  });
});
