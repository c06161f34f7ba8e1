import { CloseCode, isValidUtf8, ProtocolError } from '../frame/index.js';
import type { MessageInflater } from './message-inflater.js';
import { OrderedLane } from './ordered-lane.js';

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
/** Tag bits of a received message. */
const TEXT = 1;
const COMPRESSED = 2;

/**
 * Receives assembled messages of a permessage-deflate connection and hands
 * them on in arrival order, although compressed ones take an async trip
 * through zlib (an OrderedLane): while one is inflating, later messages
 * (compressed or not) wait behind it. Uncompressed messages arriving with
 * nothing in flight pass straight through.
 */
export class InboundDecompression extends OrderedLane<Buffer> {
  private readonly inflater: MessageInflater;
  private readonly sink: InboundMessageSink;
  private readonly limit: () => number;
  private backlogFull = false;

  /** `limit` reads the current largest message size (inboundBufferSize). */
  constructor(inflater: MessageInflater, sink: InboundMessageSink, limit: () => number) {
    super();
    this.inflater = inflater;
    this.sink = sink;
    this.limit = limit;
  }

  receive(data: Buffer, isText: boolean, compressed: boolean): void {
    this.enqueue(data, (isText ? TEXT : 0) | (compressed ? COMPRESSED : 0));
    if (!this.backlogFull && (this.waitingBytes >= this.limit() || this.waitingCount >= BACKLOG_MESSAGES)) {
      this.backlogFull = true;
      this.sink.inboundBacklog(true);
    }
  }

  /** Drops whatever is pending and frees zlib memory; nothing is delivered afterwards. */
  override dispose(): void {
    if (this.isStopped) return;
    super.dispose();
    this.inflater.dispose();
  }

  protected travels(_data: Buffer, tag: number): boolean {
    return (tag & COMPRESSED) !== 0;
  }

  protected startTrip(data: Buffer): void {
    this.inflater.inflate(data, this.limit(), this.onInflated);
  }

  protected passOn(data: Buffer, tag: number): void {
    this.sink.deliverMessage(data, (tag & TEXT) !== 0);
  }

  protected override drained(): void {
    if (this.backlogFull && this.waitingBytes < this.limit() && this.waitingCount < BACKLOG_MESSAGES) {
      this.backlogFull = false;
      this.sink.inboundBacklog(false);
    }
  }

  private readonly onInflated = (error: ProtocolError | null, data: Buffer): void => {
    if (this.isStopped) return;
    const isText = (this.currentTag & TEXT) !== 0;
    if (error === null && isText && !isValidUtf8(data)) {
      error = new ProtocolError(CloseCode.INVALID_PAYLOAD, 'Text message is not valid UTF-8');
    }
    if (error !== null) {
      this.dispose();
      this.sink.failInbound(error);
      return;
    }
    this.sink.deliverMessage(data, isText);
    this.arrived();
  };
}
