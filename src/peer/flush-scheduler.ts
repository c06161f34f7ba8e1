/**
 * Flushes every connection that produced frames during this turn of the event
 * loop, once, after the current JavaScript stack: many sends, one write per
 * socket, and one scheduled callback for all connections.
 */
export interface Flushable {
  flushNow(): void;
}

let dirty: Flushable[] = [];
let scheduled = false;

export function scheduleFlush(target: Flushable): void {
  dirty.push(target);
  if (!scheduled) {
    scheduled = true;
    process.nextTick(flushAll);
  }
}

function flushAll(): void {
  const batch = dirty;
  dirty = [];
  scheduled = false;
  for (let i = 0; i < batch.length; i++) batch[i]!.flushNow();
}
