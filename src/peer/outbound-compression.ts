import { CloseCode, Opcode, ProtocolError, Rsv } from '../frame/index.js';
import type { MessageDeflater } from './message-deflater.js';
import { COPY_THRESHOLD, type OutboundBuffer } from './outbound-buffer.js';

/**
 * Sends the messages of a permessage-deflate connection in the order they
 * were accepted, although compressed ones take an async trip through zlib:
 * while one is compressing, later messages wait behind it. Small messages
 * (below the threshold) with nothing in flight go straight to the buffer.
 * A waiting message stays counted in the OutboundBuffer (`hold`), so Godot's
 * outbound limits still see every byte accepted and not yet written.
 */
export class OutboundCompression {
  private readonly deflater: MessageDeflater;
  private readonly out: OutboundBuffer;
  private readonly threshold: number;
  /** Without context takeover a message may go out uncompressed when deflate does not shrink it. */
  private readonly mayFallBack: boolean;
  private readonly onFailure: (error: ProtocolError) => void;
  private waiting: Array<{ data: Uint8Array; isText: boolean }> = [];
  private head = 0;
  private compressing = false;
  private stopped = false;
  private idleCallbacks: Array<() => void> = [];

  constructor(deflater: MessageDeflater, out: OutboundBuffer, threshold: number, mayFallBack: boolean, onFailure: (error: ProtocolError) => void) {
    this.deflater = deflater;
    this.out = out;
    this.threshold = threshold;
    this.mayFallBack = mayFallBack;
    this.onFailure = onFailure;
  }

  /** A message is compressing or waiting. */
  get busy(): boolean {
    return this.compressing;
  }

  send(data: Uint8Array, isText: boolean): void {
    if (this.stopped) return;
    if (!this.compressing && data.length < this.threshold) {
      this.out.addFrame(true, 0, isText ? Opcode.TEXT : Opcode.BINARY, data, true);
      return;
    }
    // zlib reads the bytes later, on another thread: small ones are copied so the caller may reuse its buffer.
    const bytes = data.length <= COPY_THRESHOLD ? Buffer.from(data) : data;
    this.out.hold(bytes.length);
    this.waiting.push({ data: bytes, isText });
    if (!this.compressing) this.sendWaiting();
  }

  /** Runs `callback` once every accepted message has been framed (at once if none is pending). */
  whenIdle(callback: () => void): void {
    if (!this.compressing) callback();
    else this.idleCallbacks.push(callback);
  }

  /** Drops what is pending (the connection is failing or gone) and frees zlib memory. */
  dispose(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (let index = this.head; index < this.waiting.length; index++) this.out.release(this.waiting[index]!.data.length);
    this.waiting = [];
    this.head = 0;
    this.compressing = false;
    this.idleCallbacks = [];
    this.deflater.dispose();
  }

  private sendWaiting(): void {
    while (!this.compressing && !this.stopped && this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      if (next.data.length >= this.threshold) {
        this.compressing = true;
        this.deflater.deflate(next.data, this.onDeflated);
        return;
      }
      this.head++;
      this.out.release(next.data.length);
      this.out.addFrame(true, 0, next.isText ? Opcode.TEXT : Opcode.BINARY, next.data, true);
    }
    if (this.stopped) return;
    this.waiting = [];
    this.head = 0;
    const callbacks = this.idleCallbacks;
    if (callbacks.length === 0) return;
    this.idleCallbacks = [];
    for (const callback of callbacks) callback();
  }

  private readonly onDeflated = (error: Error | null, compressed: Buffer): void => {
    if (this.stopped) return;
    const message = this.waiting[this.head]!;
    this.head++;
    this.compressing = false;
    this.out.release(message.data.length);
    if (error !== null) {
      this.dispose();
      this.onFailure(new ProtocolError(CloseCode.INTERNAL_ERROR, `Compressing a message failed: ${error.message}`));
      return;
    }
    const opcode = message.isText ? Opcode.TEXT : Opcode.BINARY;
    if (this.mayFallBack && compressed.length >= message.data.length) {
      this.out.addFrame(true, 0, opcode, message.data, true);
    } else {
      this.out.addFrame(true, Rsv.RSV1, opcode, compressed, true);
    }
    this.sendWaiting();
  };
}
