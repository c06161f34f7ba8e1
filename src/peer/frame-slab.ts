/**
 * One shared slab that every connection encodes small frames into. Regions
 * are handed out in order and never reused, so a region passed to
 * `socket.write` stays intact; a connection holds no buffer while idle.
 */
const SLAB_SIZE = 64 * 1024;

let slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
let cursor = 0;

export interface SlabRegion {
  buffer: Buffer;
  offset: number;
}

/** Reserves `length` bytes (at most SLAB_SIZE / 4; larger frames get a buffer of their own). */
export function reserveSlab(length: number, region: SlabRegion): void {
  if (SLAB_SIZE - cursor < length) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    cursor = 0;
  }
  region.buffer = slab;
  region.offset = cursor;
  cursor += length;
}

export const MAX_SLAB_FRAME = SLAB_SIZE / 4;
