/**
 * Which run this process owns: a fresh one, or a killed one with the same
 * plan taken up again; and, when a run fails, giving it up so it does not
 * wedge later runs.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import { NewscleanError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { ownerOf } from '../state/liveness.js';
import { isRunOwnedElsewhere } from '../state/run-recovery.js';
import type { RunRow, StateStore } from '../state/store.js';
import { checkWarcDir, newRunId } from '../stages/export/index.js';
import { checkRunFiles, chooseFiles } from './files.js';
import { lockSites } from './locks.js';
import type { RunFiles, RunSpec } from './types.js';

/** The run this process now owns: a fresh one, or a killed one with the same plan taken up again. */
export interface Claim {
  runId: string;
  startedAt: Date;
  files: RunFiles;
  previous: RunRow | undefined;
}

/** What makes two runs the same run, for a resume: the command, the plan as given, --refresh and --force. */
const planHash = (spec: RunSpec): string =>
  createHash('sha256').update(JSON.stringify({ command: spec.command, plan: spec.planKey, refresh: spec.refresh, force: spec.force })).digest('hex');

/**
 * Refuse a run another live process owns (RUN_IN_PROGRESS); take up a killed
 * one whose files can still be written; otherwise start a new one. Output
 * paths are checked before anything is fetched or remembered.
 */
export async function claimRun(spec: RunSpec, config: Config, store: StateStore, log: Logger): Promise<Claim> {
  const hash = planHash(spec);
  const owner = ownerOf();
  if (config.output.warc !== undefined) await checkWarcDir(config.output.warc); // before anything is fetched, as the run's files are
  const previous = store.unfinishedRun(spec.command, hash);
  if (previous && isRunOwnedElsewhere(previous, Date.now())) {
    throw new NewscleanError('RUN_IN_PROGRESS', `run ${previous.run_id} (${spec.command}, same plan) is still running as process ${previous.owner_pid} on ${previous.owner_host}; not starting a second copy`);
  }
  const resumed = previous && (await resumable(previous, store, log));
  if (resumed) {
    await lockSites(spec, config, store, resumed.run_id, owner);
    store.claimRun(resumed.run_id, owner.pid, owner.host, owner.started, owner.boot);
    return { runId: resumed.run_id, startedAt: new Date(resumed.started_at), files: filesOf(resumed), previous: resumed };
  }
  const startedAt = new Date();
  const runId = `${spec.command}-${newRunId(startedAt)}`;
  const files = chooseFiles(spec, config, runId, startedAt);
  await checkRunFiles(files);
  await lockSites(spec, config, store, runId, owner);
  store.beginRun({
    run_id: runId, command: spec.command, plan_hash: hash, started_at: startedAt.getTime(), records_path: files.records, rejects_path: files.rejects, manifest_path: files.manifest,
    owner_pid: owner.pid, owner_host: owner.host, owner_started: owner.started, owner_boot: owner.boot, heartbeat_at: Date.now(),
  });
  return { runId, startedAt, files, previous: undefined };
}

const filesOf = (run: RunRow): RunFiles => ({ records: run.records_path!, rejects: run.rejects_path, manifest: run.manifest_path! });

/** The killed run, if its files can still be written; otherwise it is marked failed and a new run starts. */
async function resumable(previous: RunRow, store: StateStore, log: Logger): Promise<RunRow | undefined> {
  try {
    await checkRunFiles(filesOf(previous));
    return previous;
  } catch (err) {
    log.warn({ stage: 'export', run_id: previous.run_id, code: 'OUTPUT_FAILED', err: (err as Error).message }, 'an interrupted run cannot be resumed (its files cannot be written): marked failed; starting a new run');
    markRunFailed(store, previous.run_id, err, log);
    return undefined;
  }
}

/**
 * Mark a run failed and release its site locks, so the next run of its plan
 * starts afresh (best effort). Not when the store itself failed
 * (STATE_UNAVAILABLE): it cannot record it, and that run is resumed later.
 */
export function markRunFailed(store: StateStore, runId: string, err: unknown, log: Logger): void {
  const code = err instanceof NewscleanError ? err.code : 'INTERNAL';
  if (code === 'STATE_UNAVAILABLE') return;
  try {
    store.failRun(runId, Date.now(), `${code}: ${(err as Error)?.message ?? String(err)}`);
  } catch (e) {
    log.error({ stage: 'export', code: 'STATE_UNAVAILABLE', err: (e as Error).message }, 'could not mark the run failed');
  }
}
