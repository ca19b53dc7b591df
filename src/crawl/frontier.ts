/**
 * The crawl frontier, scheduled by host. A FIFO frontier hands its next job
 * to a free fetch slot even when that job's host must still wait out its
 * politeness delay: the slot then waits too, while other hosts are ready
 * (fifty hosts behind a 500 ms delay ran at 3-4 of 8 requests in flight). Here
 * jobs wait in one FIFO per host, and a free slot takes the job of the host
 * whose next request may start earliest, and only once that time has come.
 *
 * Inputs: jobs with their host key; per host, when its next request may start
 * (the host queue's readyAt: interval, Retry-After, in-flight cap); the clock.
 * Output: the job to start now, or the time to look again.
 */

export type Take<J> = { job: J; host: string } | { job: null; wakeAt: number | null };

export interface Frontier<J> {
  push(host: string, job: J): void;
  /**
   * The next job of the host due earliest, if due (readyAt(host) <= now) and no
   * job of that host is taken but not yet released. Otherwise no job, and
   * `wakeAt`: the earliest known time a host becomes due (null: none known; a
   * fetch ending will make one due).
   */
  take(now: number, readyAt: (host: string) => number): Take<J>;
  /**
   * The taken job of `host` is now visible to readyAt (its request is in the
   * host queue) or will never be (skipped, refused): the host may be taken again.
   */
  release(host: string): void;
  /** Jobs not taken yet. */
  size(): number;
}

interface HostJobs<J> {
  jobs: J[];
  /** taken and not released */
  claimed: number;
}

export function createFrontier<J>(): Frontier<J> {
  // Map order is the tie-break among hosts due at the same time: a host goes to
  // the back when one of its jobs is taken (round robin).
  const hosts = new Map<string, HostJobs<J>>();
  let size = 0;

  return {
    push(host, job) {
      let h = hosts.get(host);
      if (!h) hosts.set(host, (h = { jobs: [], claimed: 0 }));
      h.jobs.push(job);
      size++;
    },

    take(now, readyAt) {
      // A linear scan over the hosts with jobs: fine for hundreds of hosts; a
      // heap keyed by readyAt would need updates whenever a host's state changes.
      let best: { host: string; h: HostJobs<J>; at: number } | null = null;
      for (const [host, h] of hosts) {
        if (h.jobs.length === 0 || h.claimed > 0) continue;
        const at = readyAt(host);
        if (!best || at < best.at) best = { host, h, at };
      }
      if (!best) return { job: null, wakeAt: null };
      if (best.at > now) return { job: null, wakeAt: Number.isFinite(best.at) ? best.at : null };
      const { host, h } = best;
      const job = h.jobs.shift()!;
      size--;
      h.claimed++;
      hosts.delete(host);
      hosts.set(host, h);
      return { job, host };
    },

    release(host) {
      const h = hosts.get(host);
      if (!h || h.claimed === 0) return;
      h.claimed--;
      if (h.claimed === 0 && h.jobs.length === 0) hosts.delete(host);
    },

    size: () => size,
  };
}
