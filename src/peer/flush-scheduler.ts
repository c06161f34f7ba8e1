/**
 * Flushes every connection that produced frames during this iteration of the
 * event loop, once, in its check phase: after every socket read of the poll
 * phase (libuv may read one socket several times there), so many sends make
 * one write per socket, with one scheduled callback for all connections.
 *
 * It also tells whether the loop is serving one connection at a time. Then
 * the process goes idle after each batch, waiting on its peer, and one write
 * per batch makes the two sides take turns; writing every few frames instead
 * lets the peer start on the first replies while the rest are produced. When
 * an iteration serves several connections, the CPU is the limit and one
 * write per batch is cheaper.
 */
export interface Flushable {
  flushNow(): void;
}

export class FlushScheduler {
  private dirty: Flushable[] = [];
  private scheduled = false;
  /** Whether the last flush served one connection only. */
  private oneConnectionAtATime = true;

  schedule(target: Flushable): void {
    this.dirty.push(target);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
  }

  /** Whether frames should leave every few frames rather than once per batch (see above). */
  servingOneConnection(): boolean {
    return this.oneConnectionAtATime;
  }

  private readonly flushAll = (): void => {
    const batch = this.dirty;
    this.dirty = [];
    this.scheduled = false;
    this.oneConnectionAtATime = batch.length <= 1 || allSame(batch);
    for (let i = 0; i < batch.length; i++) batch[i]!.flushNow();
  };
}

function allSame(batch: Flushable[]): boolean {
  for (let i = 1; i < batch.length; i++) if (batch[i] !== batch[0]) return false;
  return true;
}
