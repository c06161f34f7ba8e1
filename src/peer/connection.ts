import {
  CloseCode,
  decodeClosePayload,
  encodeClosePayload,
  FrameDecoder,
  MessageAssembler,
  Opcode,
  ProtocolError,
  type MessageSink,
} from '../frame/index.js';
import type { OutboundBuffer } from './outbound-buffer.js';

/** What a Connection reports to the layer that owns the socket. */
export interface ConnectionHandler {
  onMessage(data: Buffer, isText: boolean, compressed: boolean): void;
  onPong(payload: Buffer): void;
  /** The other side's close frame arrived; our reply (if we had not closed) is already queued. */
  onCloseFrame(code: number, reason: string): void;
  /** The other side broke the protocol; a close frame with `error.closeCode` is already queued. */
  onProtocolError(error: ProtocolError): void;
}

/**
 * The sans-I/O WebSocket protocol for one open connection: bytes in through
 * `receive`, events out through the handler, frames out through the
 * OutboundBuffer. It knows the close handshake and nothing about sockets or
 * timers.
 */
export class Connection implements MessageSink {
  readonly decoder: FrameDecoder;
  readonly assembler: MessageAssembler;
  private readonly out: OutboundBuffer;
  private readonly handler: ConnectionHandler;
  private closeSentFlag = false;
  private closeReceivedFlag = false;

  constructor(isServer: boolean, out: OutboundBuffer, handler: ConnectionHandler, maxMessageSize: number) {
    this.out = out;
    this.handler = handler;
    this.assembler = new MessageAssembler(this, { maxMessageSize });
    this.decoder = new FrameDecoder(this.assembler, { expectMasked: isServer });
  }

  get closeSent(): boolean {
    return this.closeSentFlag;
  }

  get closeReceived(): boolean {
    return this.closeReceivedFlag;
  }

  receive(chunk: Buffer): void {
    try {
      this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.fail(error);
    }
  }

  /** Queues a data message; the caller has checked the state and the limits. */
  sendMessage(data: Uint8Array, isText: boolean, rsv = 0): void {
    this.out.addFrame(true, rsv, isText ? Opcode.TEXT : Opcode.BINARY, data, true);
  }

  sendPing(payload: Uint8Array): void {
    if (!this.closeSentFlag) this.out.addFrame(true, 0, Opcode.PING, payload, false);
  }

  /** Starts (or completes) the close handshake. Throws RangeError for a code or reason that may not be sent. */
  close(code: number, reason: string): void {
    if (this.closeSentFlag) return;
    const payload = encodeClosePayload(code, reason);
    this.sendClose(payload);
  }

  /** Fails the connection: close frame with the error's code, stop reading. */
  fail(error: ProtocolError): void {
    this.decoder.stop();
    if (!this.closeSentFlag) this.sendClose(encodeClosePayload(error.closeCode, truncateReason(error.message)));
    this.handler.onProtocolError(error);
  }

  onMessage(opcode: number, data: Buffer, compressed: boolean): void {
    if (this.closeReceivedFlag) return;
    this.handler.onMessage(data, opcode === Opcode.TEXT, compressed);
  }

  onControl(opcode: number, payload: Buffer): void {
    if (opcode === Opcode.PING) {
      if (!this.closeSentFlag) this.out.addFrame(true, 0, Opcode.PONG, payload, false);
    } else if (opcode === Opcode.PONG) {
      this.handler.onPong(payload);
    } else {
      this.receiveClose(payload);
    }
  }

  private receiveClose(payload: Buffer): void {
    const { code, reason } = decodeClosePayload(payload);
    this.closeReceivedFlag = true;
    this.decoder.stop();
    // Echo the code and reason bytes, as Godot (wslay) does.
    if (!this.closeSentFlag) this.sendClose(code === CloseCode.NO_STATUS ? EMPTY : Buffer.from(payload));
    this.handler.onCloseFrame(code, reason);
  }

  private sendClose(payload: Buffer): void {
    this.closeSentFlag = true;
    this.out.addFrame(true, 0, Opcode.CLOSE, payload, false);
  }
}

const EMPTY = Buffer.alloc(0);

/** Cuts a diagnostic to the 123 bytes a close reason may hold, on a character boundary. */
function truncateReason(message: string): string {
  if (Buffer.byteLength(message) <= 123) return message;
  let end = Math.min(message.length, 123);
  while (Buffer.byteLength(message.slice(0, end)) > 123) end--;
  return message.slice(0, end);
}
