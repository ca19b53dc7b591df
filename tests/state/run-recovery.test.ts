/** `state runs`: listing runs with their owner's liveness, and clearing a stuck run. */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { NewscleanError } from '../../src/shared/errors.js';
import { bootId, ownerOf } from '../../src/state/liveness.js';
import { clearRun, formatRunViews, isRunOwnedElsewhere, listRunViews } from '../../src/state/run-recovery.js';
import type { StateStore } from '../../src/state/store.js';
import { trackStateStores } from '../helpers/state-stores.js';

const { open } = trackStateStores('nc-run-recovery-');
const NOW = 1_000_000_000_000;

function begin(s: StateStore, runId: string, owner: { pid: number; host: string; started: number | null; boot: string | null }, startedAt = NOW): void {
  s.beginRun({ run_id: runId, command: 'crawl', plan_hash: 'p', started_at: startedAt, records_path: 'r.jsonl', rejects_path: null, manifest_path: 'm.json', owner_pid: owner.pid, owner_host: owner.host, owner_started: owner.started, owner_boot: owner.boot });
}
async function deadIdentity() {
  const c = spawn('true', { stdio: 'ignore' });
  const id = ownerOf(c.pid!);
  await new Promise((r) => c.on('close', r));
  return { ...id, started: id.started ?? 1 };
}

describe.runIf(bootId() !== null)('listRunViews', () => {
  it('lists runs newest first with owner, heartbeat age and liveness; filters by status', async () => {
    const s = open();
    begin(s, 'old-done', ownerOf(), NOW - 5000);
    s.endRun('old-done', 'done', NOW - 4000, {});
    begin(s, 'stuck', await deadIdentity(), NOW - 3000);
    s.heartbeat('stuck', NOW - 2000);
    begin(s, 'live', ownerOf(), NOW - 1000);
    s.heartbeat('live', NOW - 500);
    s.acquireSiteLocks(['news'], { runId: 'live', ...ownerOf() }, NOW - 500);

    const all = listRunViews(s, { now: NOW });
    expect(all.map((r) => [r.runId, r.status, r.alive, r.heartbeatAgeMs])).toEqual([
      ['live', 'running', true, 500],
      ['stuck', 'running', false, 2000],
      ['old-done', 'done', null, null],
    ]);
    expect(all[0]).toMatchObject({ ownerPid: process.pid, ownerHost: hostname(), sites: ['news'] });
    expect(listRunViews(s, { status: 'running', now: NOW }).map((r) => r.runId)).toEqual(['live', 'stuck']);
    const text = formatRunViews(all);
    expect(text.split('\n')[0]).toMatch(/^run\s+command\s+status\s+started\s+owner\s+heartbeat\s+alive$/);
    expect(text).toMatch(/stuck\s+crawl\s+running\s+\S+\s+\d+@\S+\s+2s\s+no/);
  });
});

describe.runIf(bootId() !== null)('isRunOwnedElsewhere', () => {
  it('is true for a live other process, false for this process, a dead owner or a finished run', async () => {
    const s = open();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      begin(s, 'other', ownerOf(child.pid!));
      begin(s, 'mine', ownerOf());
      begin(s, 'dead', await deadIdentity());
      expect(isRunOwnedElsewhere(s.getRun('other')!, NOW)).toBe(true);
      expect(isRunOwnedElsewhere(s.getRun('mine')!, NOW)).toBe(false);
      expect(isRunOwnedElsewhere(s.getRun('dead')!, NOW)).toBe(false);
      s.endRun('other', 'done', NOW, {});
      expect(isRunOwnedElsewhere(s.getRun('other')!, NOW)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe.runIf(bootId() !== null)('clearRun', () => {
  it('marks a run whose owner is dead failed and releases its locks; the next run starts afresh', async () => {
    const s = open();
    const dead = await deadIdentity();
    begin(s, 'stuck', dead);
    s.acquireSiteLocks(['news', 'sport'], { runId: 'stuck', ...dead }, NOW);
    expect(s.unfinishedRun('crawl', 'p')?.run_id).toBe('stuck');
    expect(clearRun(s, 'stuck', { now: NOW + 1 })).toEqual({ runId: 'stuck', previousStatus: 'running', ownerWasAlive: false, locksReleased: 2 });
    expect(s.getRun('stuck')).toMatchObject({ status: 'failed', ended_at: NOW + 1, failure_reason: 'cleared by state runs --clear' });
    expect(s.siteLocks()).toEqual([]);
    expect(s.unfinishedRun('crawl', 'p')).toBeUndefined();
  });

  it('refuses a run whose owner is alive (RUN_IN_PROGRESS) unless forced', () => {
    const s = open();
    begin(s, 'live', ownerOf());
    expect(() => clearRun(s, 'live', { now: NOW })).toThrow(expect.objectContaining({ code: 'RUN_IN_PROGRESS' }));
    expect(s.getRun('live')?.status).toBe('running');
    expect(clearRun(s, 'live', { now: NOW, force: true })).toMatchObject({ ownerWasAlive: true });
    expect(s.getRun('live')?.status).toBe('failed');
  });

  it('an unknown run id is a usage error naming the store', () => {
    const s = open();
    try {
      clearRun(s, 'nope');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(NewscleanError);
      expect((err as NewscleanError).code).toBe('USAGE');
      expect((err as NewscleanError).message).toMatch(/no run nope/);
    }
  });
});
