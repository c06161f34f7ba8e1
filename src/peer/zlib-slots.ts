import { Fifo } from './fifo.js';

/**
 * A process-wide cap on zlib jobs in flight. Each async inflate or deflate
 * occupies a libuv thread-pool task and zlib's working memory; with thousands
 * of connections compressing at once, an unbounded number of them would
 * fragment memory and starve other thread-pool users (fs, dns). Jobs beyond
 * the cap wait in arrival order; each connection still runs its own jobs one
 * at a time, so message order is unaffected.
 */
const MAX_JOBS_IN_FLIGHT = 10;

let inFlight = 0;
const waiting = new Fifo<() => void>();
let draining = false;

/** Runs `start` now or once a slot frees up; `start` must lead to exactly one `releaseZlibSlot()`. */
export function acquireZlibSlot(start: () => void): void {
  waiting.push(start);
  startWaiting();
}

export function releaseZlibSlot(): void {
  inFlight--;
  startWaiting();
}

/** A loop, not recursion: a job that releases at once (its connection is gone) must not grow the stack. */
function startWaiting(): void {
  if (draining) return;
  draining = true;
  try {
    while (inFlight < MAX_JOBS_IN_FLIGHT && waiting.count > 0) {
      const next = waiting.shift();
      inFlight++;
      next();
    }
  } finally {
    draining = false;
  }
}
