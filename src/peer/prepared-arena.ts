/** The first arena of a turn holds at least this much, so a burst of small publishes shares one region. */
export const MIN_ARENA_BYTES = 16 * 1024;
/** No arena is sized beyond this for a burst; a larger message gets exactly its own size. */
export const MAX_ARENA_BYTES = 1024 * 1024;

/**
 * Memory that one broadcast source (a topic, a relay) frames its prepared
 * messages into, one after another. Messages published in the same turn of
 * the event loop then lie back to back, and each receiver's outbound buffer
 * joins its adjacent views into one region (see OutboundBuffer.addEncoded):
 * a burst of N publishes leaves as one contiguous write per receiver instead
 * of N chunks through `writev`, as uWebSockets' corked publish does.
 *
 * Regions are handed out once and never reused. The arena lets go of its
 * memory at the end of the turn (pending writes keep what they point at), so
 * an idle source pins nothing; the next turn's first arena is sized from the
 * bytes this one took, within MIN_ARENA_BYTES and MAX_ARENA_BYTES.
 */
export class PreparedArena {
  private memory: Buffer | null = null;
  private used = 0;
  private bytesThisTurn = 0;
  private bytesLastTurn = 0;

  /** `length` fresh bytes, right after the previous region when it has room. */
  allocate(length: number): Buffer {
    let memory = this.memory;
    if (memory === null || memory.length - this.used < length) {
      if (memory === null && this.bytesThisTurn === 0) setImmediate(endTurnOf, this);
      const wanted = memory === null ? Math.max(MIN_ARENA_BYTES, this.bytesLastTurn) : memory.length * 2;
      memory = this.memory = Buffer.allocUnsafeSlow(Math.max(length, Math.min(wanted, MAX_ARENA_BYTES)));
      this.used = 0;
    }
    const start = this.used;
    this.used = start + length;
    this.bytesThisTurn += length;
    return memory.subarray(start, start + length);
  }

  /** The turn ended: drop the memory (views of it live on in pending writes). */
  endTurn(): void {
    this.memory = null;
    this.used = 0;
    this.bytesLastTurn = this.bytesThisTurn;
    this.bytesThisTurn = 0;
  }
}

function endTurnOf(arena: PreparedArena): void {
  arena.endTurn();
}

/**
 * The arena for a message going to `receivers` of a source's `members`, or
 * null for its own exact-size buffer. A receiver's pending views keep the
 * whole arena memory alive, so only messages that most members receive share
 * it: then every receiver holds most of what it pins, and a slow receiver of
 * a few unicast packets cannot pin the arenas of everyone else's traffic.
 */
export function arenaForFanOut(arena: PreparedArena, receivers: number, members: number): PreparedArena | null {
  return receivers > 1 && receivers * 2 >= members ? arena : null;
}
