import { constants as zlibConstants, type DeflateRaw, type InflateRaw } from 'node:zlib';
import { acquireZlibSlot, releaseZlibSlot } from './zlib-slots.js';

type ZlibStream = InflateRaw | DeflateRaw;

/** One message's trip through a ZlibChannel. */
export interface ZlibJob {
  /** Each output piece as zlib produces it; return false to stop the job (its stream is then thrown away). */
  onChunk(chunk: Buffer): boolean;
  /**
   * Called exactly once unless the channel is disposed first: error is zlib's,
   * or null after the flush or a stop. `unread` counts input bytes zlib left
   * unread because the data ended a DEFLATE stream (a block with BFINAL set);
   * the channel then starts a new stream for the next message.
   */
  onEnd(error: Error | null, unread: number): void;
}

/** How long a stream that keeps no context between messages may sit unused before its memory is freed. */
const IDLE_RELEASE_MS = 1000;

/** The 4 bytes a sync flush ends with; RFC 7692 leaves them off the wire. */
export const SYNC_FLUSH_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * One direction's zlib stream for one connection, run through zlib's async
 * API one message at a time. The stream is created on first use; when no
 * context is kept between messages it is reset after each one and freed
 * after a quiet period, so idle connections hold no zlib memory.
 */
export class ZlibChannel {
  private readonly create: (dictionary: Buffer | null) => ZlibStream;
  /** Preset dictionary for the next stream: the window a stream ended with, so context carries over. */
  private nextDictionary: Buffer | null = null;
  private readonly resetAfterMessage: boolean;
  private stream: ZlibStream | null = null;
  private job: ZlibJob | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(create: (dictionary: Buffer | null) => ZlibStream, resetAfterMessage: boolean) {
    this.create = create;
    this.resetAfterMessage = resetAfterMessage;
  }

  /** Whether a zlib stream (and its native memory) exists right now. */
  get holdsStream(): boolean {
    return this.stream !== null;
  }

  /** Queues `input` (plus the sync-flush tail when `appendTail`) for the stream, then flushes. */
  run(input: Uint8Array, appendTail: boolean, job: ZlibJob): void {
    acquireZlibSlot(() => this.start(input, appendTail, job));
  }

  /** After a job ended its stream: the next stream starts with `dictionary` as its window. */
  continueWith(dictionary: Buffer | null): void {
    this.nextDictionary = dictionary;
  }

  /** Frees the stream; a job under way or waiting for a slot never ends. */
  dispose(): void {
    this.disposed = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.discardStream();
    if (this.job !== null) {
      this.job = null;
      releaseZlibSlot();
    }
  }

  private start(input: Uint8Array, appendTail: boolean, job: ZlibJob): void {
    if (this.disposed) {
      releaseZlibSlot();
      return;
    }
    const stream = this.stream ?? this.open();
    this.job = job;
    const readBefore = stream.bytesWritten;
    const inputLength = input.length + (appendTail ? SYNC_FLUSH_TAIL.length : 0);
    stream.write(input);
    if (appendTail) stream.write(SYNC_FLUSH_TAIL);
    stream.flush(zlibConstants.Z_SYNC_FLUSH, () => {
      // A stale callback from a stream already thrown away (stopped, failed, disposed) is ignored.
      if (this.stream !== stream || this.job !== job) return;
      const unread = inputLength - (stream.bytesWritten - readBefore);
      // zlib ignores everything after a final block: this stream is finished.
      if (unread > 0) this.discardStream();
      this.end(null, unread);
    });
  }

  private open(): ZlibStream {
    const stream = this.create(this.nextDictionary);
    this.nextDictionary = null;
    stream.on('data', (chunk: Buffer) => {
      if (this.stream !== stream || this.job === null) return;
      if (!this.job.onChunk(chunk)) {
        this.discardStream();
        this.end(null, 0);
      }
    });
    stream.on('error', (error: Error) => {
      if (this.stream !== stream) return;
      this.discardStream();
      if (this.job !== null) this.end(error, 0);
    });
    this.stream = stream;
    return stream;
  }

  private end(error: Error | null, unread: number): void {
    const job = this.job!;
    this.job = null;
    if (this.stream !== null && this.resetAfterMessage) {
      this.stream.reset();
      this.scheduleRelease();
    }
    releaseZlibSlot();
    job.onEnd(error, unread);
  }

  private scheduleRelease(): void {
    if (this.idleTimer === null) {
      this.idleTimer = setTimeout(this.releaseIfIdle, IDLE_RELEASE_MS);
      this.idleTimer.unref();
    } else {
      this.idleTimer.refresh();
    }
  }

  private readonly releaseIfIdle = (): void => {
    this.idleTimer = null;
    // A job under way schedules the release again when it ends.
    if (this.job === null) this.discardStream();
  };

  private discardStream(): void {
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    stream.close();
  }
}
