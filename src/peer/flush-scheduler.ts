/**
 * Flushes every connection that produced frames during this turn of the event
 * loop, once, after the current JavaScript stack: many sends, one write per
 * socket, and one scheduled callback for all connections.
 *
 * It also tells whether the loop is serving one connection at a time. Then
 * the process goes idle after each batch, waiting on its peer, and one write
 * per batch makes the two sides take turns; writing every few frames instead
 * lets the peer start on the first replies while the rest are produced. When
 * a loop iteration serves several connections, the CPU is the limit and one
 * write per batch is cheaper.
 */
export interface Flushable {
  flushNow(): void;
}

let dirty: Flushable[] = [];
let scheduled = false;
/** Batches flushed during this loop iteration, counted until its check phase. */
let batchesThisIteration = 0;
let iterationEndScheduled = false;
let oneConnectionAtATime = true;

export function scheduleFlush(target: Flushable): void {
  dirty.push(target);
  if (!scheduled) {
    scheduled = true;
    process.nextTick(flushAll);
  }
}

/** Whether frames should leave every few frames rather than once per batch (see above). */
export function servingOneConnection(): boolean {
  return oneConnectionAtATime;
}

function flushAll(): void {
  const batch = dirty;
  dirty = [];
  scheduled = false;
  batchesThisIteration++;
  if (!iterationEndScheduled) {
    iterationEndScheduled = true;
    setImmediate(endIteration);
  }
  for (let i = 0; i < batch.length; i++) batch[i]!.flushNow();
}

function endIteration(): void {
  iterationEndScheduled = false;
  oneConnectionAtATime = batchesThisIteration <= 1;
  batchesThisIteration = 0;
}
