/**
 * The crawl's job slots: jobs are taken from the frontier while a slot is
 * free, the host is due and the consumer keeps up (back-pressure from the
 * outcome channel); when every host with jobs is still waiting out its delay,
 * a timer wakes the slots at the earliest due time. The crawl ends when no job
 * is in flight and nothing more will come (all done, or stopped).
 *
 * Input: the frontier, the hosts' due times, whether discovery still runs.
 * Output: jobs started (`start`), and the end (`onEnd`).
 */
import type { Frontier } from './frontier.js';
import type { Job } from './types.js';

export interface JobSlots {
  /** Take jobs into free slots; call whenever something changed (a job queued or ended, a host due, room in the channel). */
  pump(): void;
  /** End the crawl if nothing is in flight and nothing more will be taken. */
  maybeEnd(): void;
}

export interface SlotsInput {
  frontier: Frontier<Job>;
  /** When the host's next request may start (the host queue's readyAt). */
  readyAt: (host: string) => number;
  /** Jobs in flight at most. */
  limit: number;
  /**
   * Once full, the slots refill only when this many are in flight again, not
   * one job per finished job. While the clean pool is the bottleneck,
   * one-by-one refills send requests singly, and crawler and server each wake
   * once per page; in bursts each handles many per wake (bench:crawl,
   * docs/benchmarks.md).
   */
  refillAt: number;
  stopped: () => boolean;
  /** The consumer is behind (the outcome channel is full). */
  backedUp: () => boolean;
  discovering: () => boolean;
  /** Runs one job; `release` ends the frontier's claim on the job's host. Never rejects. */
  start: (job: Job, release: () => void) => Promise<void>;
  onEnd: () => void;
}

export function createJobSlots(input: SlotsInput): JobSlots {
  const { frontier, limit } = input;
  let active = 0;
  let refilling = true;
  let ended = false;
  // Ref'd (unlike the host queue's timers): it is what the run waits on when every host with jobs is still in its delay.
  let wake: { timer: NodeJS.Timeout; at: number } | null = null;
  const wakeAt = (at: number): void => {
    if (wake && wake.at <= at) return;
    if (wake) clearTimeout(wake.timer);
    wake = { at, timer: setTimeout(() => ((wake = null), slots.pump()), Math.max(0, at - Date.now())) };
  };

  const run = (job: Job): void => {
    let claimed = true;
    // The host may be taken again once this job's request is in the host queue (or never will be).
    const release = (): void => {
      if (!claimed) return;
      claimed = false;
      frontier.release(job.host);
      slots.pump(); // the host may take its next job now (one host with several slots)
    };
    active++;
    void input.start(job, release).finally(() => {
      release();
      active--;
      slots.pump();
      slots.maybeEnd();
    });
  };

  const slots: JobSlots = {
    pump() {
      if (active <= input.refillAt) refilling = true;
      if (!refilling) return;
      while (active < limit && !input.stopped() && !ended && !input.backedUp()) {
        const next = frontier.take(Date.now(), input.readyAt);
        if (next.job === null) {
          if (next.wakeAt !== null) wakeAt(next.wakeAt);
          break;
        }
        run(next.job);
      }
      if (active >= limit) refilling = false;
    },
    maybeEnd() {
      if (ended || active > 0) return;
      if (input.stopped() || (frontier.size() === 0 && !input.discovering())) {
        ended = true;
        if (wake) clearTimeout(wake.timer);
        input.onEnd();
      }
    },
  };
  return slots;
}
