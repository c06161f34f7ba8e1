import { createDeflateRaw } from 'node:zlib';
import { ZlibChannel, type ZlibJob } from './zlib-channel.js';

export type DeflateCallback = (error: Error | null, compressed: Buffer) => void;

/**
 * zlib cannot deflate with a 256-byte window (windowBits 8): it uses 9
 * instead. That is still within an 8-bit agreement, because zlib never emits
 * a match farther back than the window minus 262 bytes, 250 for 9 bits.
 */
const SMALLEST_DEFLATE_WINDOW_BITS = 9;

const EMPTY = Buffer.alloc(0);

/**
 * Compresses the messages one side of a permessage-deflate connection sends
 * (RFC 7692 section 7.2.1): raw DEFLATE ended by a sync flush, whose 00 00
 * ff ff tail is cut off. zlib's async API keeps the work off the event loop.
 */
export class MessageDeflater {
  private readonly channel: ZlibChannel;

  /** `windowBits`: this side's agreed window (8-15); `resetAfterMessage`: this side keeps no context. */
  constructor(windowBits: number, resetAfterMessage: boolean, level: number, memLevel: number) {
    const deflateBits = Math.max(windowBits, SMALLEST_DEFLATE_WINDOW_BITS);
    const options = { windowBits: deflateBits, level, memLevel };
    this.channel = new ZlibChannel((dictionary) => createDeflateRaw(dictionary === null ? options : { ...options, dictionary }), {
      resetAfterMessage,
      windowBytes: 1 << deflateBits,
    });
  }

  get holdsStream(): boolean {
    return this.channel.holdsStream;
  }

  deflate(data: Uint8Array, done: DeflateCallback): void {
    this.channel.run(data, false, new DeflateJob(data, done));
  }

  dispose(): void {
    this.channel.dispose();
  }
}

class DeflateJob implements ZlibJob {
  private readonly input: Uint8Array;
  private readonly done: DeflateCallback;
  private chunks: Buffer[] = [];
  private total = 0;

  constructor(input: Uint8Array, done: DeflateCallback) {
    this.input = input;
    this.done = done;
  }

  uncompressed(): Uint8Array {
    return this.input;
  }

  onChunk(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.total += chunk.length;
    return true;
  }

  onEnd(error: Error | null): void {
    const chunks = this.chunks;
    this.chunks = [];
    if (error !== null) {
      this.done(error, EMPTY);
      return;
    }
    // Output of a sync flush always ends with the 4-byte tail, possibly split across pieces.
    const length = this.total - 4;
    const last = chunks[chunks.length - 1]!;
    this.done(null, chunks.length === 1 ? last.subarray(0, length) : Buffer.concat(chunks, length));
  }
}
