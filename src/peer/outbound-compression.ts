import { CloseCode, Opcode, ProtocolError, Rsv } from '../frame/index.js';
import type { MessageDeflater } from './message-deflater.js';
import { COPY_THRESHOLD, type OutboundBuffer } from './outbound-buffer.js';
import { OrderedLane } from './ordered-lane.js';

const TEXT = 1;

/**
 * Sends the messages of a permessage-deflate connection in the order they
 * were accepted, although compressed ones take an async trip through zlib
 * (an OrderedLane): while one is compressing, later messages wait behind it.
 * Small messages (below the threshold) with nothing in flight go straight to
 * the buffer. A waiting message stays counted in the OutboundBuffer
 * (`hold`), so Godot's outbound limits still see every byte accepted and not
 * yet written.
 */
export class OutboundCompression extends OrderedLane<Uint8Array> {
  private readonly deflater: MessageDeflater;
  private readonly out: OutboundBuffer;
  private readonly threshold: number;
  /** Without context takeover a message may go out uncompressed when deflate does not shrink it. */
  private readonly mayFallBack: boolean;
  private readonly onFailure: (error: ProtocolError) => void;

  constructor(deflater: MessageDeflater, out: OutboundBuffer, threshold: number, mayFallBack: boolean, onFailure: (error: ProtocolError) => void) {
    super();
    this.deflater = deflater;
    this.out = out;
    this.threshold = threshold;
    this.mayFallBack = mayFallBack;
    this.onFailure = onFailure;
  }

  send(data: Uint8Array, isText: boolean): void {
    if (this.isStopped) return;
    if (!this.busy && data.length < this.threshold) {
      this.out.addFrame(true, 0, isText ? Opcode.TEXT : Opcode.BINARY, data, true);
      return;
    }
    // zlib reads the bytes later, on another thread: small ones are copied so the caller may reuse its buffer.
    const bytes = data.length <= COPY_THRESHOLD ? Buffer.from(data) : data;
    this.out.hold(bytes.length);
    this.enqueue(bytes, isText ? TEXT : 0);
  }

  /** Drops what is pending (the connection is failing or gone) and frees zlib memory. */
  override dispose(): void {
    if (this.isStopped) return;
    super.dispose();
    this.deflater.dispose();
  }

  protected travels(data: Uint8Array): boolean {
    return data.length >= this.threshold;
  }

  protected startTrip(data: Uint8Array): void {
    this.deflater.deflate(data, this.onDeflated);
  }

  /** Only held messages get here (a small one waited behind a compressing one). */
  protected passOn(data: Uint8Array, tag: number): void {
    this.out.release(data.length);
    this.out.addFrame(true, 0, tag === TEXT ? Opcode.TEXT : Opcode.BINARY, data, true);
  }

  protected override dropped(data: Uint8Array): void {
    this.out.release(data.length);
  }

  private readonly onDeflated = (error: Error | null, compressed: Buffer): void => {
    if (this.isStopped) return;
    if (error !== null) {
      this.dispose();
      this.onFailure(new ProtocolError(CloseCode.INTERNAL_ERROR, `Compressing a message failed: ${error.message}`));
      return;
    }
    const message = this.current;
    this.out.release(message.length);
    const opcode = this.currentTag === TEXT ? Opcode.TEXT : Opcode.BINARY;
    if (this.mayFallBack && compressed.length >= message.length) {
      this.out.addFrame(true, 0, opcode, message, true);
    } else {
      this.out.addFrame(true, Rsv.RSV1, opcode, compressed, true);
    }
    this.arrived();
  };
}
