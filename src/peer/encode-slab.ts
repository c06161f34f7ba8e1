/**
 * A slab that connections encode small frames into. Regions are handed out
 * in order and never reused, so a region passed to `socket.write` stays
 * intact; a connection holds no buffer while idle. The slab is allocated on
 * first use.
 */
const SLAB_SIZE = 64 * 1024;

export const MAX_SLAB_FRAME = SLAB_SIZE / 4;

export class EncodeSlab {
  /** The buffer the last `reserve` handed out a region of. */
  buffer: Buffer = EMPTY;
  /**
   * `buffer.buffer`, kept: reading a typed array's `buffer` calls into V8's
   * C++ each time, a cost on every frame that joins a region (see OutboundBuffer).
   */
  memory: ArrayBufferLike = EMPTY.buffer;
  private cursor = SLAB_SIZE;

  /** Reserves `length` bytes (at most MAX_SLAB_FRAME) in `buffer` and returns their offset. */
  reserve(length: number): number {
    let offset = this.cursor;
    if (SLAB_SIZE - offset < length) {
      // Memory of its own (byteOffset 0), so an offset in `buffer` is one in `memory` too.
      this.buffer = Buffer.allocUnsafeSlow(SLAB_SIZE);
      this.memory = this.buffer.buffer;
      offset = 0;
    }
    this.cursor = offset + length;
    return offset;
  }
}

const EMPTY = Buffer.alloc(0);
