/** Owner liveness with real processes: alive, killed but unreaped (a zombie), a reused pid, another host or boot. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootId, isOwnerAlive, ownerOf, readProcStat } from '../../src/state/liveness.js';

const hasProc = existsSync('/proc/self/stat') && bootId() !== null;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const sleeper = (): ChildProcess => {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  return c;
};
const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const NOW = 1_000_000_000_000;

describe.runIf(hasProc)('isOwnerAlive on this host (Linux /proc)', () => {
  it('a running process with the recorded start time is alive, whatever its heartbeat', () => {
    const c = sleeper();
    const owner = ownerOf(c.pid!);
    expect(owner.started).not.toBeNull();
    expect(isOwnerAlive({ ...owner, heartbeatAt: null }, NOW)).toBe(true);
  });

  it('a killed process not yet reaped (a zombie) is dead, though its pid still exists', async () => {
    // sh starts `sleep` in the background, then becomes a second `sleep` that never waits for it:
    // the killed background sleep stays a zombie for as long as its parent lives.
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    const owner = ownerOf(pid);
    expect(isOwnerAlive({ ...owner, heartbeatAt: NOW }, NOW)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => readProcStat(pid)?.state === 'Z');
    expect(existsSync(`/proc/${pid}`)).toBe(true); // kill(pid, 0) would still say it exists
    expect(isOwnerAlive({ ...owner, heartbeatAt: NOW }, NOW)).toBe(false); // a fresh heartbeat does not help
  });

  it('a pid now held by another process (another start time) is dead', () => {
    const c = sleeper();
    const owner = ownerOf(c.pid!);
    expect(isOwnerAlive({ ...owner, started: owner.started! - 1, heartbeatAt: NOW }, NOW)).toBe(false);
  });

  it('a process that has exited and been reaped is dead', async () => {
    const c = spawn('true', { stdio: 'ignore' });
    const owner = { pid: c.pid!, host: hostname(), started: 1, boot: bootId(), heartbeatAt: NOW };
    await new Promise((r) => c.on('close', r));
    expect(isOwnerAlive(owner, NOW)).toBe(false);
  });

  it('an owner from an earlier boot of this host falls back to its heartbeat', () => {
    const owner = { ...ownerOf(process.pid), boot: 'an-earlier-boot' };
    expect(isOwnerAlive({ ...owner, heartbeatAt: NOW - 1000 }, NOW, 60_000)).toBe(true);
    expect(isOwnerAlive({ ...owner, heartbeatAt: NOW - 61_000 }, NOW, 60_000)).toBe(false);
  });
});

describe('isOwnerAlive elsewhere: the heartbeat decides', () => {
  it('an owner on another host is alive while its heartbeat is within the lease', () => {
    const owner = { pid: process.pid, host: 'other-host', started: 1, boot: bootId(), heartbeatAt: NOW - 59_000 };
    expect(isOwnerAlive(owner, NOW, 60_000)).toBe(true);
    expect(isOwnerAlive({ ...owner, heartbeatAt: NOW - 60_000 }, NOW, 60_000)).toBe(false);
    expect(isOwnerAlive({ ...owner, heartbeatAt: null }, NOW, 60_000)).toBe(false);
  });

  it('an owner recorded without a start time (a system without /proc, an older newsclean) is judged by its heartbeat', () => {
    const owner = { pid: process.pid, host: hostname(), started: null, boot: null, heartbeatAt: NOW - 120_000 };
    expect(isOwnerAlive(owner, NOW, 60_000)).toBe(false);
  });
});

describe('readProcStat', () => {
  it('counts fields from the last parenthesis (a command name may hold spaces and parentheses)', () => {
    const root = mkdtempSync(join(tmpdir(), 'nc-proc-'));
    try {
      mkdirSync(join(root, '42'));
      const after = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '987654', '0'];
      writeFileSync(join(root, '42', 'stat'), `42 (a) b (c) ${after.join(' ')}\n`);
      expect(readProcStat(42, root)).toEqual({ state: 'S', startTicks: 987654 });
      expect(readProcStat(43, root)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
