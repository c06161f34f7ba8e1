import type { FrameSink } from '../../../src/frame/index.js';

export interface CollectedFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  payloadLength: number;
  payload: Buffer;
}

/**
 * A FrameSink that records every frame and checks the decoder's contract:
 * start, data, end in order; data adding up to the announced length; every
 * piece a view into the chunk being pushed (no copies).
 */
export class FrameCollector implements FrameSink {
  readonly frames: CollectedFrame[] = [];
  /** Set by the test before each push, to check where pieces point. */
  currentChunk: Buffer | null = null;
  private open: Omit<CollectedFrame, 'payload'> | null = null;
  private pieces: Buffer[] = [];
  private received = 0;

  onFrameStart(fin: boolean, rsv: number, opcode: number, payloadLength: number): void {
    if (this.open !== null) throw new Error('onFrameStart before the previous frame ended');
    this.open = { fin, rsv, opcode, payloadLength };
    this.pieces = [];
    this.received = 0;
  }

  onFrameData(piece: Buffer): void {
    if (this.open === null) throw new Error('onFrameData outside a frame');
    const chunk = this.currentChunk;
    if (chunk !== null) {
      const inside =
        piece.buffer === chunk.buffer &&
        piece.byteOffset >= chunk.byteOffset &&
        piece.byteOffset + piece.length <= chunk.byteOffset + chunk.length;
      if (!inside) throw new Error('payload piece is not a view of the pushed chunk');
    }
    this.received += piece.length;
    if (this.received > this.open.payloadLength) throw new Error('more payload than the header announced');
    this.pieces.push(piece);
  }

  onFrameEnd(): void {
    const open = this.open;
    if (open === null) throw new Error('onFrameEnd outside a frame');
    if (this.received !== open.payloadLength) throw new Error('frame ended before its payload was complete');
    this.frames.push({ ...open, payload: Buffer.concat(this.pieces) });
    this.open = null;
  }

  /** Whether a frame has started and not ended. */
  get inFrame(): boolean {
    return this.open !== null;
  }
}
