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
let waiting: Array<() => void> = [];
let head = 0;
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
    drain();
  } finally {
    draining = false;
  }
}

function drain(): void {
  while (inFlight < MAX_JOBS_IN_FLIGHT && head < waiting.length) {
    const next = waiting[head]!;
    head++;
    if (head === waiting.length) {
      waiting = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    inFlight++;
    next();
  }
}
