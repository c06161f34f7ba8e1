import { CloseCode } from './close-code.js';
import type { FrameSink } from './decoder.js';
import type { InputCopies } from './input-copies.js';
import { MessageBuffer } from './message-buffer.js';
import { isControlOpcode, Opcode, Rsv } from './opcode.js';
import { ProtocolError } from './protocol-error.js';
import { Utf8Validator } from './utf8.js';

/** Receives whole messages and control frames, in stream order. */
export interface MessageSink {
  /**
   * A complete text or binary message. `compressed` is true when its first
   * frame had RSV1 set (permessage-deflate): the data is then still deflated
   * and its UTF-8 has not been checked yet.
   */
  onMessage(opcode: number, data: Buffer, compressed: boolean): void;
  /** A complete ping, pong or close frame; payload at most 125 bytes. */
  onControl(opcode: number, payload: Buffer): void;
}

export interface MessageAssemblerOptions {
  /**
   * Largest message accepted, in bytes, counting FRAME_COST_BYTES for each
   * of its frames; a larger one is 1009, decided from frame headers.
   */
  maxMessageSize: number;
  /** Set when permessage-deflate is negotiated: RSV1 then marks compressed messages. */
  compression?: boolean;
  /**
   * Given when the pushed chunks' memory is reused after each push (a socket
   * read into one reused buffer): payloads are copied there, never kept or
   * delivered as views. The pusher calls its `startChunk` before each push.
   */
  copiesInput?: InputCopies | null;
}

/**
 * What each data frame of a message costs against the size limit on top of
 * its payload. Every frame costs CPU whatever it carries, so a message in
 * 1-byte or empty fragments reaches the limit after a bounded number of
 * frames (65,535 bytes: about 1,000), where a frame count cap would refuse
 * legitimate traffic: 4 MiB in 65,536 fragments still fits a 16 MiB limit.
 */
export const FRAME_COST_BYTES = 64;

const NO_MESSAGE = -1;
const EMPTY = Buffer.alloc(0);

/**
 * Frames to messages: enforces fragmentation order, the message size limit
 * (before any payload is buffered) and UTF-8 validity of text as it arrives,
 * so a bad byte in an early fragment fails at once.
 */
export class MessageAssembler implements FrameSink {
  maxMessageSize: number;
  compression: boolean;
  private readonly copiesInput: InputCopies | null;
  private readonly sink: MessageSink;
  private messageOpcode = NO_MESSAGE;
  private messageCompressed = false;
  /** Payload bytes of the message so far. */
  private messageSize = 0;
  /** Its payload plus FRAME_COST_BYTES per frame, measured against the limit. */
  private messageCost = 0;
  private messageFrames = 0;
  private validating = false;
  private frameIsControl = false;
  private frameOpcode = 0;
  private frameFin = false;
  private validator: Utf8Validator | null = null;
  private data: MessageBuffer | null = null;
  private control: MessageBuffer | null = null;

  constructor(sink: MessageSink, options: MessageAssemblerOptions) {
    this.sink = sink;
    this.maxMessageSize = options.maxMessageSize;
    this.compression = options.compression === true;
    this.copiesInput = options.copiesInput ?? null;
  }

  /** Whether a fragmented message is under way. */
  get inMessage(): boolean {
    return this.messageOpcode !== NO_MESSAGE;
  }

  onFrameStart(fin: boolean, rsv: number, opcode: number, payloadLength: number): void {
    this.frameOpcode = opcode;
    if (isControlOpcode(opcode)) {
      if (rsv !== 0) throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'RSV bit set on a control frame');
      this.frameIsControl = true;
      return;
    }
    this.frameIsControl = false;
    this.frameFin = fin;
    if (opcode === Opcode.CONTINUATION) {
      if (this.messageOpcode === NO_MESSAGE) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'Continuation frame with no message started');
      }
      if ((rsv & Rsv.RSV1) !== 0) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'RSV1 set on a continuation frame');
      }
    } else {
      if (this.messageOpcode !== NO_MESSAGE) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'New data frame inside a fragmented message');
      }
      const compressed = (rsv & Rsv.RSV1) !== 0;
      if (compressed && !this.compression) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'RSV1 set without a negotiated extension');
      }
      this.messageOpcode = opcode;
      this.messageCompressed = compressed;
      this.messageSize = 0;
      this.messageCost = 0;
      this.messageFrames = 0;
      this.validating = opcode === Opcode.TEXT && !compressed;
      // An unfragmented message's size is known now: if it arrives in pieces, they are copied once into a buffer of that size.
      if (fin && payloadLength > 0 && payloadLength <= this.maxMessageSize) (this.data ??= new MessageBuffer(this.copiesInput)).expect(payloadLength);
    }
    const size = this.messageSize + payloadLength;
    const cost = this.messageCost + payloadLength + FRAME_COST_BYTES;
    this.messageFrames++;
    if (size > this.maxMessageSize) {
      throw new ProtocolError(
        CloseCode.MESSAGE_TOO_BIG,
        `Message of at least ${size} bytes is over the ${this.maxMessageSize}-byte limit`,
      );
    }
    if (cost > this.maxMessageSize + FRAME_COST_BYTES) {
      throw new ProtocolError(
        CloseCode.MESSAGE_TOO_BIG,
        `Message in ${this.messageFrames} frames is over the ${this.maxMessageSize}-byte limit (each frame counts ${FRAME_COST_BYTES} bytes)`,
      );
    }
    this.messageSize = size;
    this.messageCost = cost;
  }

  onFrameData(piece: Buffer): void {
    if (this.frameIsControl) {
      (this.control ??= new MessageBuffer(this.copiesInput)).append(piece);
      return;
    }
    if (this.validating) this.validate(piece);
    (this.data ??= new MessageBuffer(this.copiesInput)).append(piece);
  }

  onMaskedFrameData(piece: Buffer, key: Buffer, phase: number): boolean {
    const data = this.data;
    if (this.frameIsControl || data === null) return false;
    const unmasked = data.appendMasked(piece, key, phase);
    if (unmasked === null) return false;
    if (this.validating) this.validate(unmasked);
    return true;
  }

  onFrameEnd(): void {
    if (this.frameIsControl) {
      const payload = this.control === null ? EMPTY : this.control.take();
      this.sink.onControl(this.frameOpcode, payload);
      return;
    }
    if (!this.frameFin) return;
    if (this.validating && this.validator !== null && !this.validator.finish()) {
      this.abandonMessage();
      throw new ProtocolError(CloseCode.INVALID_PAYLOAD, 'Text message ends inside a UTF-8 sequence');
    }
    const opcode = this.messageOpcode;
    const compressed = this.messageCompressed;
    const data = this.data === null ? EMPTY : this.data.take();
    this.messageOpcode = NO_MESSAGE;
    this.sink.onMessage(opcode, data, compressed);
  }

  /** Fails at the piece holding the first invalid byte (fail-fast). */
  private validate(piece: Buffer): void {
    if (!(this.validator ??= new Utf8Validator()).push(piece)) {
      this.abandonMessage();
      throw new ProtocolError(CloseCode.INVALID_PAYLOAD, 'Text message is not valid UTF-8');
    }
  }

  private abandonMessage(): void {
    this.messageOpcode = NO_MESSAGE;
    this.validator?.reset();
    this.data?.take();
  }
}
