import { createInflateRaw } from 'node:zlib';
import { CloseCode, ProtocolError } from '../frame/index.js';
import { ZlibChannel, type ZlibJob } from './zlib-channel.js';

/**
 * Size of each piece zlib inflates into. A message is stopped as soon as its
 * output passes the limit, so at most this much beyond the limit is ever held.
 */
export const INFLATE_CHUNK_BYTES = 16 * 1024;

export type InflateCallback = (error: ProtocolError | null, data: Buffer) => void;

const EMPTY = Buffer.alloc(0);

/**
 * Decompresses the messages one side of a permessage-deflate connection
 * receives (RFC 7692 section 7.2.2): appends the 00 00 ff ff tail the sender
 * left off, inflates with zlib's async API, and checks the output size piece
 * by piece, so a small message that inflates to gigabytes costs no more than
 * the limit plus one piece before it is refused with 1009.
 */
export class MessageInflater {
  private readonly channel: ZlibChannel;

  /** `windowBits`: the sender's agreed window (8-15); `resetAfterMessage`: the sender keeps no context. */
  constructor(windowBits: number, resetAfterMessage: boolean) {
    this.channel = new ZlibChannel(
      (dictionary) => createInflateRaw(dictionary === null ? { windowBits, chunkSize: INFLATE_CHUNK_BYTES } : { windowBits, chunkSize: INFLATE_CHUNK_BYTES, dictionary }),
      { resetAfterMessage, windowBytes: 1 << windowBits },
    );
  }

  get holdsStream(): boolean {
    return this.channel.holdsStream;
  }

  /** Calls `done` with the message, or with 1009 (over `limit` bytes) or 1007 (not DEFLATE data). */
  inflate(data: Buffer, limit: number, done: InflateCallback): void {
    this.channel.run(data, true, new InflateJob(limit, done));
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** Unread input beyond the 4-byte tail means bytes followed the final block inside the message. */
const TAIL_LENGTH = 4;

class InflateJob implements ZlibJob {
  private readonly limit: number;
  private readonly done: InflateCallback;
  private chunks: Buffer[] = [];
  private total = 0;
  private overLimit = false;
  private output: Buffer | null = null;

  constructor(limit: number, done: InflateCallback) {
    this.limit = limit;
    this.done = done;
  }

  onChunk(chunk: Buffer): boolean {
    this.total += chunk.length;
    if (this.total > this.limit) {
      this.overLimit = true;
      this.chunks = [];
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  uncompressed(): Buffer {
    if (this.output === null) {
      const chunks = this.chunks;
      this.chunks = [];
      this.output = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, this.total);
    }
    return this.output;
  }

  onEnd(error: Error | null, unread: number): void {
    if (this.overLimit) {
      this.done(
        new ProtocolError(
          CloseCode.MESSAGE_TOO_BIG,
          `Compressed message inflates past the ${this.limit}-byte limit (stopped at ${this.total} bytes)`,
        ),
        EMPTY,
      );
    } else if (error !== null) {
      this.done(new ProtocolError(CloseCode.INVALID_PAYLOAD, `Compressed message is not valid DEFLATE data: ${error.message}`), EMPTY);
    } else if (unread > TAIL_LENGTH) {
      this.done(new ProtocolError(CloseCode.INVALID_PAYLOAD, 'Compressed message has data after the end of its DEFLATE stream'), EMPTY);
    } else {
      // A final block (RFC 7692 section 7.2.3.4) instead of a sync flush is fine; the channel starts a new stream.
      this.done(null, this.uncompressed());
    }
  }
}
