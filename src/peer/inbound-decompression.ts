import { CloseCode, isValidUtf8, ProtocolError } from '../frame/index.js';
import type { MessageInflater } from './message-inflater.js';

/** Where InboundDecompression hands its results. */
export interface InboundMessageSink {
  /** A whole message, inflated if it was compressed, UTF-8 checked if text. */
  deliverMessage(data: Buffer, isText: boolean): void;
  /** A compressed message was too big (1009), not DEFLATE data or not UTF-8 (1007). */
  failInbound(error: ProtocolError): void;
  /** true: messages pile up waiting to be inflated, stop reading; false: the pile is gone. */
  inboundBacklog(full: boolean): void;
}

/** Waiting messages beyond which reading pauses, whatever their size. */
const BACKLOG_MESSAGES = 256;

/**
 * Receives assembled messages of a permessage-deflate connection and hands
 * them on in arrival order, although compressed ones take an async trip
 * through zlib: while one is inflating, later messages (compressed or not)
 * wait behind it. Uncompressed messages arriving with nothing in flight pass
 * straight through.
 */
export class InboundDecompression {
  private readonly inflater: MessageInflater;
  private readonly sink: InboundMessageSink;
  private readonly limit: () => number;
  private waiting: Array<{ data: Buffer; isText: boolean; compressed: boolean }> = [];
  private head = 0;
  private waitingBytes = 0;
  private inflating = false;
  private inflatingText = false;
  private backlogFull = false;
  private stopped = false;
  private idleCallbacks: Array<() => void> = [];

  /** `limit` reads the current largest message size (inboundBufferSize). */
  constructor(inflater: MessageInflater, sink: InboundMessageSink, limit: () => number) {
    this.inflater = inflater;
    this.sink = sink;
    this.limit = limit;
  }

  /** A message is inflating or waiting. */
  get busy(): boolean {
    return this.inflating;
  }

  receive(data: Buffer, isText: boolean, compressed: boolean): void {
    if (this.stopped) return;
    if (!this.inflating) {
      if (compressed) this.startInflating(data, isText);
      else this.sink.deliverMessage(data, isText);
      return;
    }
    this.waiting.push({ data, isText, compressed });
    this.waitingBytes += data.length;
    if (this.waitingBytes >= this.limit() || this.waiting.length - this.head >= BACKLOG_MESSAGES) {
      this.backlogFull = true;
      this.sink.inboundBacklog(true);
    }
  }

  /** Runs `callback` once every message received so far has been handed on (at once if none is pending). */
  whenIdle(callback: () => void): void {
    if (!this.inflating) callback();
    else this.idleCallbacks.push(callback);
  }

  /** Drops whatever is pending and frees zlib memory; nothing is delivered afterwards. */
  dispose(): void {
    this.stopped = true;
    this.waiting = [];
    this.head = 0;
    this.idleCallbacks = [];
    this.inflater.dispose();
  }

  private startInflating(data: Buffer, isText: boolean): void {
    this.inflating = true;
    this.inflatingText = isText;
    this.inflater.inflate(data, this.limit(), this.onInflated);
  }

  private readonly onInflated = (error: ProtocolError | null, data: Buffer): void => {
    if (this.stopped) return;
    this.inflating = false;
    if (error === null && this.inflatingText && !isValidUtf8(data)) {
      error = new ProtocolError(CloseCode.INVALID_PAYLOAD, 'Text message is not valid UTF-8');
    }
    if (error !== null) {
      this.dispose();
      this.sink.failInbound(error);
      return;
    }
    this.sink.deliverMessage(data, this.inflatingText);
    this.handOnWaiting();
  };

  private handOnWaiting(): void {
    while (!this.inflating && !this.stopped && this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.head++;
      this.waitingBytes -= next.data.length;
      if (next.compressed) this.startInflating(next.data, next.isText);
      else this.sink.deliverMessage(next.data, next.isText);
    }
    if (this.stopped) return;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    }
    if (this.backlogFull && this.waitingBytes < this.limit() && this.waiting.length - this.head < BACKLOG_MESSAGES) {
      this.backlogFull = false;
      this.sink.inboundBacklog(false);
    }
    if (!this.inflating && this.idleCallbacks.length > 0) {
      const callbacks = this.idleCallbacks;
      this.idleCallbacks = [];
      for (const callback of callbacks) callback();
    }
  }
}
