import {
  CloseCode,
  decodeClosePayload,
  encodeClosePayload,
  FrameDecoder,
  InputCopies,
  MessageAssembler,
  Opcode,
  ProtocolError,
  Rsv,
  type MessageSink,
} from '../frame/index.js';
import { createInboundDecompression, createOutboundCompression, type NegotiatedDeflate } from './deflate-session.js';
import type { InboundDecompression, InboundMessageSink } from './inbound-decompression.js';
import type { OutboundBuffer } from './outbound-buffer.js';
import type { OutboundCompression } from './outbound-compression.js';
import type { PreparedMessages } from './prepared-messages.js';

/**
 * Where the close handshake stands, as the protocol core sees it. The only
 * ways forward are up the list; a protocol failure queues its close frame at
 * once (from OPEN or CLOSE_BEHIND_COMPRESSION) and lands in CLOSE_SENT.
 */
export enum CloseState {
  /** Neither close frame has been sent or received. */
  OPEN = 0,
  /** `close()` was accepted; the close frame waits behind messages still compressing (it must follow them). */
  CLOSE_BEHIND_COMPRESSION = 1,
  /** Our close frame is in the OutboundBuffer; the other side's has not arrived. */
  CLOSE_SENT = 2,
  /** The other side's close frame arrived and ours is queued (as the reply, or sent before): the handshake is done. */
  CLOSE_RECEIVED = 3,
}

/** What a Connection reports to the layer that owns the socket. */
export interface ConnectionHandler {
  onMessage(data: Buffer, isText: boolean, compressed: boolean): void;
  onPong(payload: Buffer): void;
  /** A ping arrived; its pong is already queued. */
  onPing?(payload: Buffer): void;
  /** The other side's close frame arrived; our reply (if we had not closed) is already queued. */
  onCloseFrame(code: number, reason: string): void;
  /** The other side broke the protocol; a close frame with `error.closeCode` is already queued. */
  onProtocolError(error: ProtocolError): void;
  /** permessage-deflate: received messages pile up waiting to be inflated (true: stop reading; false: go on). */
  onInboundBacklog?(full: boolean): void;
}

/**
 * The sans-I/O WebSocket protocol for one open connection: bytes in through
 * `receive`, events out through the handler, frames out through the
 * OutboundBuffer. It knows the close handshake and nothing about sockets or
 * timers.
 */
export class Connection implements MessageSink, InboundMessageSink {
  /** Created with the first bytes received: an idle connection holds no decoder. */
  private inboundDecoder: FrameDecoder | null = null;
  private inboundAssembler: MessageAssembler | null = null;
  private readonly isServer: boolean;
  private readonly maxMessageSize: number;
  private readonly compression: boolean;
  private readonly out: OutboundBuffer;
  private readonly handler: ConnectionHandler;
  /** permessage-deflate, when negotiated: keeps messages in order around async zlib work. */
  private readonly inflow: InboundDecompression | null = null;
  private readonly outflow: OutboundCompression | null = null;
  private state = CloseState.OPEN;
  /** Received bytes not decoded yet: the frame allowance ran out, or replies went over `outboundLimit`. */
  private held: Buffer[] | null = null;
  /**
   * Payload bytes queued for the other side beyond which control replies
   * (pongs) stop decoding: a peer that pings and never reads would otherwise
   * grow our memory without bound.
   */
  outboundLimit = Infinity;
  /**
   * Set when chunks passed in may lie in memory that is reused once
   * `receive` returns (a socket reading into one reused buffer, from any
   * chunk on): the payloads and held bytes of chunks in that memory are
   * copied, never kept as views.
   */
  reusedInput: ArrayBufferLike | null = null;
  /**
   * Whether the next chunk had better lie in the reused memory: the last one
   * held large messages (each copied once into its exact-size buffer there
   * anyway), rather than small ones that a chunk of its own delivers as views
   * with no copy (see socket-binding.ts, `nextReadBuffer`).
   */
  prefersReusedInput = false;
  /** Where payloads of reused chunks are copied; created with the decoder (inactive for chunks of their own). */
  private inputCopies: InputCopies | null = null;
  /** Messages completed by the chunk being decoded. */
  private messagesInChunk = 0;

  constructor(isServer: boolean, out: OutboundBuffer, handler: ConnectionHandler, maxMessageSize: number, deflate: NegotiatedDeflate | null = null) {
    this.out = out;
    this.handler = handler;
    this.isServer = isServer;
    this.maxMessageSize = maxMessageSize;
    this.compression = deflate !== null;
    if (deflate !== null) {
      this.inflow = createInboundDecompression(deflate, isServer, this, () => this.assembler.maxMessageSize);
      this.outflow = createOutboundCompression(deflate, isServer, out, (error) => this.fail(error));
    }
  }

  get decoder(): FrameDecoder {
    return this.inboundDecoder ?? this.createInbound().decoder;
  }

  get assembler(): MessageAssembler {
    return this.inboundAssembler ?? this.createInbound().assembler;
  }

  get closeState(): CloseState {
    return this.state;
  }

  /** We have closed (our close frame is queued, or waits behind compression). */
  get closeSent(): boolean {
    return this.state !== CloseState.OPEN;
  }

  get closeReceived(): boolean {
    return this.state === CloseState.CLOSE_RECEIVED;
  }

  /** Whether replies queued for the other side are over `outboundLimit` (its reading lags behind its pings). */
  get outboundBacklogged(): boolean {
    return this.out.bufferedAmount > this.outboundLimit;
  }

  /**
   * Bytes in. Returns false when some are held back, because the decoder's
   * `frameAllowance` ran out or replies are backlogged: the I/O layer stops
   * reading and calls `receiveHeld` later (bytes passed meanwhile are held too).
   */
  receive(chunk: Buffer): boolean {
    if (this.held !== null) {
      this.held.push(this.liesInReusedInput(chunk) ? Buffer.from(chunk) : chunk);
      return false;
    }
    return this.decode(chunk);
  }

  /** Decodes what `receive` held back; false when some is held again. */
  receiveHeld(): boolean {
    const held = this.held;
    if (held === null) return true;
    this.held = null;
    for (let i = 0; i < held.length; i++) {
      if (!this.decode(held[i]!)) {
        for (let j = i + 1; j < held.length; j++) this.held!.push(held[j]!);
        return false;
      }
    }
    return true;
  }

  /** Whether `chunk` lies in the reused memory; a connection that never moved its reads does not even look (`.buffer` calls into V8's C++). */
  private liesInReusedInput(chunk: Buffer): boolean {
    const reusedInput = this.reusedInput;
    return reusedInput !== null && chunk.buffer === reusedInput;
  }

  private decode(chunk: Buffer): boolean {
    let used: number;
    const decoder = this.decoder;
    const reused = this.liesInReusedInput(chunk);
    this.inputCopies?.startChunk(chunk.length, reused);
    this.messagesInChunk = 0;
    try {
      used = decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.fail(error);
      return true;
    }
    this.prefersReusedInput = chunk.length >= LARGE_INPUT_PER_MESSAGE * this.messagesInChunk;
    if (used === chunk.length) return true;
    const rest = chunk.subarray(used);
    this.held = [reused ? Buffer.from(rest) : rest];
    return false;
  }

  /** Queues a data message (compressed when negotiated and worth it); the caller has checked the state and the limits. */
  sendMessage(data: Uint8Array, isText: boolean, rsv = 0): void {
    if (this.outflow !== null && rsv === 0) this.outflow.send(data, isText);
    else this.out.addFrame(true, rsv, isText ? Opcode.TEXT : Opcode.BINARY, data, true);
  }

  /** Queues messages framed once for many receivers; without compression their bytes are shared as they are. */
  sendPrepared(messages: PreparedMessages): void {
    const outflow = this.outflow;
    if (outflow === null) {
      this.out.addEncoded(messages.wire, messages.payloadBytes, messages.messageCount);
      return;
    }
    // Compression keeps per-connection context: this receiver frames (and compresses) each message itself.
    for (const payload of messages.payloads) outflow.send(payload, messages.isText);
  }

  sendPing(payload: Uint8Array): void {
    if (this.state === CloseState.OPEN) this.out.addFrame(true, 0, Opcode.PING, payload, false);
  }

  /** Starts (or completes) the close handshake. Throws RangeError for a code or reason that may not be sent. */
  close(code: number, reason: string): void {
    if (this.state !== CloseState.OPEN) return;
    const payload = encodeClosePayload(code, reason);
    this.sendClose(payload);
  }

  /** Fails the connection: close frame with the error's code, stop reading. */
  fail(error: ProtocolError): void {
    this.decoder.stop();
    // Messages still being compressed or inflated are dropped: the close frame goes out now.
    this.dispose();
    if (this.state <= CloseState.CLOSE_BEHIND_COMPRESSION) this.queueClose(encodeClosePayload(error.closeCode, truncateReason(error.message)));
    this.handler.onProtocolError(error);
  }

  onMessage(opcode: number, data: Buffer, compressed: boolean): void {
    this.messagesInChunk++;
    if (this.state === CloseState.CLOSE_RECEIVED) return;
    if (this.inflow !== null) this.inflow.receive(data, opcode === Opcode.TEXT, compressed);
    else this.handler.onMessage(data, opcode === Opcode.TEXT, compressed);
  }

  // ---- InboundMessageSink (permessage-deflate) ----

  deliverMessage(data: Buffer, isText: boolean): void {
    this.handler.onMessage(data, isText, false);
  }

  failInbound(error: ProtocolError): void {
    this.fail(error);
  }

  inboundBacklog(full: boolean): void {
    this.handler.onInboundBacklog?.(full);
  }

  /** Frees zlib memory and drops pending compression work (the connection failed or is gone). */
  dispose(): void {
    this.held = null;
    this.inflow?.dispose();
    this.outflow?.dispose();
  }

  onControl(opcode: number, payload: Buffer): void {
    if (opcode === Opcode.PING) {
      if (this.state !== CloseState.OPEN) return;
      this.out.addFrame(true, 0, Opcode.PONG, payload, false);
      // Decode nothing more until the other side has read its pongs.
      if (this.outboundBacklogged) this.decoder.frameAllowance = 0;
      this.handler.onPing?.(payload);
    } else if (opcode === Opcode.PONG) {
      this.handler.onPong(payload);
    } else {
      // A malformed close payload throws here, failing the connection at once.
      const { code, reason } = decodeClosePayload(payload);
      this.decoder.stop();
      // Messages received before the close frame are delivered, and ours sent, before the close is answered.
      this.whenIdle(() => this.receiveClose(payload, code, reason));
    }
  }

  /** Runs `callback` once no message is inflating or compressing. */
  private whenIdle(callback: () => void): void {
    if (this.inflow?.busy === true) this.inflow.whenIdle(() => this.whenIdle(callback));
    else if (this.outflow?.busy === true) this.outflow.whenIdle(() => this.whenIdle(callback));
    else callback();
  }

  private receiveClose(payload: Buffer, code: number, reason: string): void {
    this.decoder.stop();
    // Echo the code and reason bytes, as Godot (wslay) does. Compression is idle here (see whenIdle), so the reply is queued at once.
    if (this.state === CloseState.OPEN) this.queueClose(code === CloseCode.NO_STATUS ? EMPTY : Buffer.from(payload));
    this.state = CloseState.CLOSE_RECEIVED;
    this.handler.onCloseFrame(code, reason);
  }

  private sendClose(payload: Buffer): void {
    // The close frame must follow every message accepted before it, including those still compressing.
    if (this.outflow?.busy === true) {
      this.state = CloseState.CLOSE_BEHIND_COMPRESSION;
      this.outflow.whenIdle(() => this.queueClose(payload));
    } else {
      this.queueClose(payload);
    }
  }

  private createInbound(): { decoder: FrameDecoder; assembler: MessageAssembler } {
    const compression = this.compression;
    const assembler = new MessageAssembler(this, { maxMessageSize: this.maxMessageSize, compression, copiesInput: (this.inputCopies = new InputCopies()) });
    const decoder = new FrameDecoder(assembler, { expectMasked: this.isServer, allowedRsv: compression ? Rsv.RSV1 : 0 });
    this.inboundAssembler = assembler;
    this.inboundDecoder = decoder;
    return { decoder, assembler };
  }

  private queueClose(payload: Buffer): void {
    if (this.state >= CloseState.CLOSE_SENT) return;
    this.state = CloseState.CLOSE_SENT;
    this.out.addFrame(true, 0, Opcode.CLOSE, payload, false);
  }
}

const EMPTY = Buffer.alloc(0);
/**
 * Bytes per completed message from which a chunk counts as carrying large
 * messages: below it, delivering views of a chunk of its own beats copying
 * each message out of reused memory (bench/e2e.ts, 1 KiB and 16 B cells).
 */
const LARGE_INPUT_PER_MESSAGE = 16 * 1024;

/** Cuts a diagnostic to the 123 bytes a close reason may hold, on a character boundary. */
function truncateReason(message: string): string {
  if (Buffer.byteLength(message) <= 123) return message;
  let end = Math.min(message.length, 123);
  while (Buffer.byteLength(message.slice(0, end)) > 123) end--;
  return message.slice(0, end);
}
