import { constants as zlibConstants, type DeflateRaw, type InflateRaw } from 'node:zlib';
import { SlidingWindow } from './sliding-window.js';
import { acquireZlibSlot, releaseZlibSlot } from './zlib-slots.js';

type ZlibStream = InflateRaw | DeflateRaw;

/** One message's trip through a ZlibChannel. */
export interface ZlibJob {
  /** Each output piece as zlib produces it; return false to stop the job (its stream is then thrown away). */
  onChunk(chunk: Buffer): boolean;
  /** The message's uncompressed bytes (deflate: the input, inflate: the output), which extend the LZ77 window. */
  uncompressed(): Uint8Array;
  /**
   * Called exactly once unless the channel is disposed first: error is zlib's,
   * or null after the flush or a stop. `unread` counts input bytes zlib left
   * unread because the data ended a DEFLATE stream (a block with BFINAL set);
   * the channel then starts a new stream for the next message.
   */
  onEnd(error: Error | null, unread: number): void;
}

export interface ZlibChannelOptions {
  /** No context takeover: the stream is reset after each message. */
  resetAfterMessage: boolean;
  /** Size of the stream's LZ77 window (2^windowBits), kept while the stream is freed. */
  windowBytes: number;
}

/** How long a stream may sit unused before its memory is freed. */
const IDLE_RELEASE_MS = 1000;

/** The 4 bytes a sync flush ends with; RFC 7692 leaves them off the wire. */
export const SYNC_FLUSH_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * One direction's zlib stream for one connection, run through zlib's async
 * API one message at a time. The stream is created on first use and freed
 * after a quiet period, so idle connections hold no zlib memory: without
 * context takeover it is simply reset after each message; with it, the last
 * window of uncompressed bytes is kept (at most 2^windowBits bytes instead of
 * zlib's ~300 KiB) and handed to the next stream as its preset dictionary,
 * which continues the context exactly.
 */
export class ZlibChannel {
  private readonly create: (dictionary: Buffer | null) => ZlibStream;
  private readonly resetAfterMessage: boolean;
  /** Context takeover only: what the LZ77 window holds. */
  private readonly window: SlidingWindow | null;
  private stream: ZlibStream | null = null;
  /** Preset dictionary for the next stream, when the last one was freed or ended with context kept. */
  private nextDictionary: Buffer | null = null;
  private job: ZlibJob | null = null;
  /** Jobs waiting for a process-wide zlib slot. */
  private queued = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(create: (dictionary: Buffer | null) => ZlibStream, options: ZlibChannelOptions) {
    this.create = create;
    this.resetAfterMessage = options.resetAfterMessage;
    this.window = options.resetAfterMessage ? null : new SlidingWindow(options.windowBytes);
  }

  /** Whether a zlib stream (and its native memory) exists right now. */
  get holdsStream(): boolean {
    return this.stream !== null;
  }

  /** Queues `input` (plus the sync-flush tail when `appendTail`) for the stream, then flushes. */
  run(input: Uint8Array, appendTail: boolean, job: ZlibJob): void {
    this.queued++;
    acquireZlibSlot(() => {
      this.queued--;
      this.start(input, appendTail, job);
    });
  }

  /** Frees the stream; a job under way or waiting for a slot never ends. */
  dispose(): void {
    this.disposed = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.discardStream();
    this.window?.clear();
    this.nextDictionary = null;
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
    const dictionary = this.nextDictionary;
    this.nextDictionary = null;
    const stream = this.create(dictionary);
    if (dictionary !== null) this.window?.append(dictionary);
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
    if (error === null && this.window !== null) {
      this.window.append(job.uncompressed());
      // The stream ended with a final block: its successor starts from the same window.
      if (this.stream === null) this.nextDictionary = this.window.snapshot();
    }
    if (this.stream !== null) {
      if (this.resetAfterMessage) this.stream.reset();
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
    // A job under way or waiting schedules the release again when it ends.
    if (this.job !== null || this.queued > 0 || this.stream === null) return;
    if (this.window !== null) {
      this.nextDictionary = this.window.snapshot();
      this.window.clear();
    }
    this.discardStream();
  };

  private discardStream(): void {
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    stream.close();
  }
}
