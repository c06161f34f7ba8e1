import { frameHeaderLength, Opcode, writeFrameHeader } from '../frame/index.js';
import type { PreparedArena } from './prepared-arena.js';

/**
 * One or more whole data messages encoded once as unmasked server frames,
 * back to back, so a broadcast hands the same bytes to every receiver's
 * write path instead of framing the message once per receiver (uWebSockets'
 * publish model). The bytes are never written to after construction: many
 * receivers' pending writes may point at them at once.
 *
 * A receiver that negotiated permessage-deflate cannot take these bytes (its
 * compressor keeps per-connection context): it is given the payloads one by
 * one and compresses them itself (see `payloads`).
 */
export class PreparedMessages {
  /** The frames, header and payload, ready for the socket. */
  readonly wire: Buffer;
  /** Sum of the payload lengths: what Godot's outbound accounting counts. */
  readonly payloadBytes: number;
  readonly isText: boolean;
  /** The original payloads, in order, for receivers that must frame them themselves. */
  readonly payloads: readonly Uint8Array[];

  /** Where each frame starts in `wire`, and its end last. */
  private readonly frameStarts: readonly number[];

  private constructor(wire: Buffer, payloads: readonly Uint8Array[], payloadBytes: number, isText: boolean, frameStarts: readonly number[]) {
    this.wire = wire;
    this.payloads = payloads;
    this.payloadBytes = payloadBytes;
    this.isText = isText;
    this.frameStarts = frameStarts;
  }

  /** Messages `start` to `end` (exclusive) as a view of the same bytes, no copy of the frames. */
  slice(start: number, end = this.payloads.length): PreparedMessages {
    const starts = this.frameStarts;
    const base = starts[start]!;
    const payloads = this.payloads.slice(start, end);
    let payloadBytes = 0;
    for (const payload of payloads) payloadBytes += payload.length;
    const rebased: number[] = [];
    for (let i = start; i <= end; i++) rebased.push(starts[i]! - base);
    return new PreparedMessages(this.wire.subarray(base, starts[end]), payloads, payloadBytes, this.isText, rebased);
  }

  /** How many messages the frames hold. */
  get messageCount(): number {
    return this.payloads.length;
  }

  /**
   * One message. The payload is copied into the frame, so the caller may
   * reuse it at once. With an `arena`, the frame goes right after the
   * arena's previous one (see PreparedArena).
   */
  static of(payload: Uint8Array, isText: boolean, arena: PreparedArena | null = null): PreparedMessages {
    return PreparedMessages.ofAll([payload], isText, arena);
  }

  /** Several messages of one kind, in order, as one run of frames (for example a batch of announcements). */
  static ofAll(payloads: readonly Uint8Array[], isText: boolean, arena: PreparedArena | null = null): PreparedMessages {
    let size = 0;
    let payloadBytes = 0;
    for (const payload of payloads) {
      size += frameHeaderLength(payload.length, false) + payload.length;
      payloadBytes += payload.length;
    }
    const wire = arena === null ? Buffer.allocUnsafe(size) : arena.allocate(size);
    const opcode = isText ? Opcode.TEXT : Opcode.BINARY;
    let offset = 0;
    const kept: Uint8Array[] = [];
    const frameStarts: number[] = [];
    for (const payload of payloads) {
      frameStarts.push(offset);
      const start = writeFrameHeader(wire, offset, true, 0, opcode, payload.length, false);
      wire.set(payload, start);
      offset = start + payload.length;
      // The frame's own copy serves receivers that frame it themselves: the caller's buffer may change.
      kept.push(wire.subarray(start, offset));
    }
    frameStarts.push(offset);
    return new PreparedMessages(wire, kept, payloadBytes, isText, frameStarts);
  }
}

/** What handing prepared messages to one receiver came to. */
export enum PreparedDelivery {
  /** Accepted: the frames leave with the receiver's next write. */
  SENT = 0,
  /** The receiver is not open (closing, closed, or not connected yet): nothing was queued. */
  NOT_OPEN = 1,
  /** The receiver's outbound limits (`outboundBufferSize`, `maxQueuedPackets`) would be passed: nothing was queued. */
  OVER_LIMIT = 2,
}
