import { CloseCode } from './close-code.js';
import { MAX_CONTROL_PAYLOAD, MAX_FRAME_HEADER_LENGTH } from './header.js';
import { applyMask } from './mask.js';
import { isControlOpcode, isKnownOpcode } from './opcode.js';
import { ProtocolError } from './protocol-error.js';

/** Receives what a FrameDecoder finds, in stream order. */
export interface FrameSink {
  /** A header is complete; no payload byte has been buffered yet. May throw ProtocolError. */
  onFrameStart(fin: boolean, rsv: number, opcode: number, payloadLength: number): void;
  /** The next unmasked piece of the current payload: a view into the pushed chunk, not a copy. */
  onFrameData(piece: Buffer): void;
  /**
   * Optional: offered a still-masked piece of at least UNMASK_INTO_SINK_MIN
   * bytes first. A sink that copies payloads anyway can unmask while it
   * copies (one pass fewer) and return true; false has the decoder unmask the
   * piece in place and call onFrameData. `phase` is as for applyMask.
   */
  onMaskedFrameData?(piece: Buffer, key: Buffer, phase: number): boolean;
  /** The current frame's payload is complete. */
  onFrameEnd(): void;
}

export interface FrameDecoderOptions {
  /** True on the server side: client frames must be masked, and server frames must not be. */
  expectMasked: boolean;
  /** RSV bits a negotiated extension gave meaning to; any other set bit is a protocol error. */
  allowedRsv?: number;
}

/** Smaller pieces are unmasked in place: the saving is in the copy of large ones. */
export const UNMASK_INTO_SINK_MIN = 1024;

const READING_HEADER = 0;
const READING_PAYLOAD = 1;
const STOPPED = 2;

/**
 * Turns a byte stream, in any chunking, into frame events. Header-level rules
 * (opcodes, RSV bits, control frame limits, masking direction, 64-bit length
 * form) are checked here, as soon as the bytes that break them arrive.
 * Payloads are unmasked in place and handed on as views of the pushed chunks
 * (or, large pieces, handed still masked to a sink that unmasks as it copies).
 */
export class FrameDecoder {
  allowedRsv: number;
  /**
   * Frames that may still start. When it reaches 0, push() stops before the
   * next header and returns how far it got: the caller keeps the rest of the
   * chunk for later (a per-turn budget, or a pause it asks for from a sink
   * callback by setting 0). Unlimited unless set.
   */
  frameAllowance = Infinity;
  private readonly expectMasked: boolean;
  private readonly sink: FrameSink;
  private readonly sinkUnmasks: boolean;
  private state = READING_HEADER;
  /** Header bytes that arrived split across chunks. */
  private scratch: Buffer | null = null;
  private maskKey: Buffer | null = null;
  private scratchFilled = 0;
  private remaining = 0;
  private masked = false;
  private maskPhase = 0;

  constructor(sink: FrameSink, options: FrameDecoderOptions) {
    this.sink = sink;
    this.sinkUnmasks = typeof sink.onMaskedFrameData === 'function';
    this.expectMasked = options.expectMasked;
    this.allowedRsv = options.allowedRsv ?? 0;
  }

  /** Ends decoding: later pushes are ignored (after a close frame, or after an error). */
  stop(): void {
    this.state = STOPPED;
  }

  get stopped(): boolean {
    return this.state === STOPPED;
  }

  /**
   * Feeds bytes; returns how many were taken: all of them, unless
   * `frameAllowance` ran out (or the decoder stopped). Throws ProtocolError
   * on the first violation, after which the decoder is stopped.
   */
  push(chunk: Buffer): number {
    try {
      return this.consume(chunk);
    } catch (error) {
      this.state = STOPPED;
      throw error;
    }
  }

  private consume(chunk: Buffer): number {
    const length = chunk.length;
    let offset = 0;
    while (offset < length) {
      if (this.state === READING_HEADER) {
        if (this.frameAllowance <= 0 && this.scratchFilled === 0) return offset;
        offset = this.readHeader(chunk, offset);
      } else if (this.state === READING_PAYLOAD) {
        offset = this.readPayload(chunk, offset);
      } else {
        return length;
      }
    }
    return length;
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    if (this.scratchFilled === 0 && available >= 2) {
      const needed = headerLength(chunk[offset + 1]!);
      if (available >= needed) {
        this.startFrame(chunk, offset);
        return offset + needed;
      }
    }
    // The header straddles chunks: gather it in the scratch buffer.
    const scratch = (this.scratch ??= Buffer.allocUnsafe(MAX_FRAME_HEADER_LENGTH));
    let filled = this.scratchFilled;
    let position = offset;
    if (filled < 2) {
      const take = Math.min(2 - filled, available);
      chunk.copy(scratch, filled, position, position + take);
      filled += take;
      position += take;
      if (filled < 2) {
        this.scratchFilled = filled;
        return position;
      }
      this.checkFirstBytes(scratch[0]!, scratch[1]!);
    }
    const needed = headerLength(scratch[1]!);
    const take = Math.min(needed - filled, chunk.length - position);
    chunk.copy(scratch, filled, position, position + take);
    filled += take;
    position += take;
    if (filled < needed) {
      this.scratchFilled = filled;
      return position;
    }
    this.scratchFilled = 0;
    this.startFrame(scratch, 0);
    return position;
  }

  private checkFirstBytes(first: number, second: number): void {
    const rsv = first & 0x70;
    if ((rsv & ~this.allowedRsv) !== 0) {
      throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'RSV bits set without a negotiated extension');
    }
    const opcode = first & 0x0f;
    if (!isKnownOpcode(opcode)) {
      throw new ProtocolError(CloseCode.PROTOCOL_ERROR, `Reserved opcode 0x${opcode.toString(16)}`);
    }
    if (isControlOpcode(opcode)) {
      if ((first & 0x80) === 0) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'Fragmented control frame');
      }
      if ((second & 0x7f) > MAX_CONTROL_PAYLOAD) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'Control frame payload over 125 bytes');
      }
    }
    if (((second & 0x80) !== 0) !== this.expectMasked) {
      throw new ProtocolError(
        CloseCode.PROTOCOL_ERROR,
        this.expectMasked ? 'Unmasked frame from a client' : 'Masked frame from a server',
      );
    }
  }

  /** `bytes[at..]` holds a whole header. */
  private startFrame(bytes: Buffer, at: number): void {
    const first = bytes[at]!;
    const second = bytes[at + 1]!;
    if (bytes !== this.scratch) this.checkFirstBytes(first, second);
    let payloadLength = second & 0x7f;
    let position = at + 2;
    if (payloadLength === 126) {
      payloadLength = (bytes[position]! << 8) | bytes[position + 1]!;
      position += 2;
    } else if (payloadLength === 127) {
      const high = bytes.readUInt32BE(position);
      if (high >= 0x80000000) {
        throw new ProtocolError(CloseCode.PROTOCOL_ERROR, '64-bit payload length with the top bit set');
      }
      if (high >= 0x200000) {
        throw new ProtocolError(CloseCode.MESSAGE_TOO_BIG, 'Frame payload length over 2^53 bytes');
      }
      payloadLength = high * 0x100000000 + bytes.readUInt32BE(position + 4);
      position += 8;
    }
    this.masked = (second & 0x80) !== 0;
    if (this.masked) {
      const key = (this.maskKey ??= Buffer.alloc(4));
      key[0] = bytes[position]!;
      key[1] = bytes[position + 1]!;
      key[2] = bytes[position + 2]!;
      key[3] = bytes[position + 3]!;
      this.maskPhase = 0;
    }
    this.remaining = payloadLength;
    this.frameAllowance--;
    this.state = READING_PAYLOAD;
    this.sink.onFrameStart((first & 0x80) !== 0, first & 0x70, first & 0x0f, payloadLength);
    if (payloadLength === 0 && this.state === READING_PAYLOAD) this.endFrame();
  }

  private readPayload(chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    const take = this.remaining < available ? this.remaining : available;
    const piece = offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take);
    this.remaining -= take;
    if (this.masked) {
      const phase = this.maskPhase;
      this.maskPhase = (phase + take) & 3;
      if (!(take >= UNMASK_INTO_SINK_MIN && this.sinkUnmasks && this.sink.onMaskedFrameData!(piece, this.maskKey!, phase))) {
        applyMask(piece, this.maskKey!, phase);
        this.sink.onFrameData(piece);
      }
    } else {
      this.sink.onFrameData(piece);
    }
    if (this.remaining === 0 && this.state === READING_PAYLOAD) this.endFrame();
    return offset + take;
  }

  private endFrame(): void {
    this.state = READING_HEADER;
    this.sink.onFrameEnd();
  }
}

/** Header length implied by the second header byte. */
function headerLength(second: number): number {
  const lengthCode = second & 0x7f;
  const base = lengthCode < 126 ? 2 : lengthCode === 126 ? 4 : 10;
  return (second & 0x80) !== 0 ? base + 4 : base;
}
