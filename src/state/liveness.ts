/**
 * Is the process that owns a run (or a site lock) still alive? A pid alone
 * says little: pids are reused (after a reboot, in containers, on a busy
 * host), and a killed process lingers as a zombie until its parent reaps it.
 * So an owner is recorded as pid + host + the process's start time + the boot
 * id, and on the same host and boot it is alive only when a process with that
 * pid exists, is not a zombie and started at that same time. Anywhere else
 * (another host or container sharing the store, a system without /proc) only
 * the heartbeat speaks: the owner is alive while its last one is recent.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who runs a run or holds a lock. `started` and `boot` are null where /proc is not available. */
export interface OwnerIdentity {
  pid: number;
  host: string;
  /** Start time of the process, clock ticks since boot (field 22 of /proc/<pid>/stat). */
  started: number | null;
  /** /proc/sys/kernel/random/boot_id: a new value after every reboot. */
  boot: string | null;
}

/** What the store remembers of an owner: its identity and last sign of life (ms since epoch). */
export interface RecordedOwner extends OwnerIdentity {
  heartbeatAt: number | null;
}

/** How long a heartbeat vouches for an owner that cannot be checked directly (run.ts beats every 10 s). */
export const DEFAULT_LEASE_MS = 60_000;

interface ProcStat {
  /** One letter: R, S, D, Z (zombie), T, X (dead)… */
  state: string;
  startTicks: number;
}

/**
 * Fields of /proc/<pid>/stat, or null when there is no such process (or no
 * /proc). The command name (field 2) is in parentheses and may hold spaces
 * and parentheses itself, so fields are counted from the last ')'.
 */
export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field 22 (starttime) is rest[19].
  const startTicks = Number(rest[19]);
  if (!rest[0] || !Number.isFinite(startTicks)) return null;
  return { state: rest[0], startTicks };
}

let cachedBoot: string | null | undefined;
export function bootId(): string | null {
  if (cachedBoot === undefined) {
    try {
      cachedBoot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      cachedBoot = null;
    }
  }
  return cachedBoot;
}

/** The identity of a process on this host (this process by default). */
export function ownerOf(pid = process.pid): OwnerIdentity {
  return { pid, host: hostname(), started: readProcStat(pid)?.startTicks ?? null, boot: bootId() };
}

/**
 * Whether the recorded owner still lives. `self` is this host's view (for
 * tests); `procRoot` where to read process state.
 */
export function isOwnerAlive(
  owner: RecordedOwner,
  now: number,
  leaseMs = DEFAULT_LEASE_MS,
  self: { host: string; boot: string | null } = { host: hostname(), boot: bootId() },
  procRoot = '/proc',
): boolean {
  const checkable = owner.host === self.host && owner.boot !== null && owner.boot === self.boot && owner.started !== null;
  if (checkable) {
    const stat = readProcStat(owner.pid, procRoot);
    return stat !== null && stat.state !== 'Z' && stat.state !== 'X' && stat.startTicks === owner.started;
  }
  return owner.heartbeatAt !== null && now - owner.heartbeatAt < leaseMs;
}
