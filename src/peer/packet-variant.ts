import { GodotError } from '../godot-error.js';
import { bytesToVar, varToBytes, VariantDecodeError, VariantEncodeError } from '../variant/index.js';
import type { EncodableVariant, GodotGeneration, Variant } from '../variant/index.js';

/** Godot's PacketPeer default `encode_buffer_max_size` (core/io/packet_peer.h): 8 MiB. */
export const DEFAULT_ENCODE_BUFFER_MAX_SIZE = 8 * 1024 * 1024;

/** What a failed putVar/getVar leaves: the code returned (or the packet error) and `lastError`. */
export interface VariantIoFailure {
  readonly code: GodotError;
  readonly message: string;
}

/**
 * Godot's PacketPeer `put_var`/`get_var` (core/io/packet_peer.cpp), shared by
 * every gdws peer that has packets: the settings (which generation's format,
 * `encode_buffer_max_size`, Godot 3's `allow_object_decoding`) and the two
 * conversions. The peers keep their own packet queues and errors; this only
 * turns values into packets and packets into values.
 */
export class PacketVariantIo {
  /** Which Godot's Variant format the peer speaks (3 or 4). */
  generation: GodotGeneration;
  /**
   * Godot 3's PacketPeer.allow_object_decoding: getVar decodes full objects and putVar
   * writes them even when not asked to (Godot 3.2.3 does both: put_var of a Gradient
   * sends the whole object with it on, the object's id without).
   */
  allowObjectDecoding = false;
  private maxSize = DEFAULT_ENCODE_BUFFER_MAX_SIZE;

  constructor(generation: GodotGeneration) {
    this.generation = generation;
  }

  get encodeBufferMaxSize(): number {
    return this.maxSize;
  }
  /** As Godot's set_encode_buffer_max_size: 1 KiB to 256 MiB, rounded up to a power of two. */
  set encodeBufferMaxSize(size: number) {
    if (!Number.isInteger(size) || size < 1024) throw new RangeError(`encodeBufferMaxSize must be at least 1024 bytes, got ${size}`);
    if (size > 256 * 1024 * 1024) throw new RangeError(`encodeBufferMaxSize cannot exceed 256 MiB, got ${size}`);
    let power = 1024;
    while (power < size) power *= 2;
    this.maxSize = power;
  }

  static checkGeneration(generation: number): GodotGeneration {
    if (generation !== 3 && generation !== 4) throw new RangeError(`variantGeneration must be 3 or 4, got ${String(generation)}`);
    return generation;
  }

  /** put_var's first half: the packet to send, or why there is none (the encoder's code, or ERR_OUT_OF_MEMORY past encodeBufferMaxSize). */
  encode(value: EncodableVariant, fullObjects: boolean): Uint8Array | VariantIoFailure {
    let bytes: Uint8Array;
    try {
      bytes = varToBytes(value, { godot: this.generation, fullObjects: fullObjects || this.allowObjectDecoding });
    } catch (error) {
      if (error instanceof VariantEncodeError) return { code: error.code, message: error.message };
      throw error;
    }
    if (bytes.length > this.maxSize) {
      return {
        code: GodotError.ERR_OUT_OF_MEMORY,
        message: `Failed to encode variant: ${bytes.length} bytes is more than encodeBufferMaxSize (${this.maxSize}); consider raising it`,
      };
    }
    return bytes;
  }

  /** get_var's second half: the value in a received packet, or why it is not one (the decoder's code, usually ERR_INVALID_DATA). */
  decode(packet: Uint8Array, allowObjects: boolean): { value: Variant } | VariantIoFailure {
    try {
      return { value: bytesToVar(packet, { godot: this.generation, allowObjects: allowObjects || this.allowObjectDecoding }) };
    } catch (error) {
      if (error instanceof VariantDecodeError) return { code: error.code, message: `Invalid Variant packet: ${error.message}` };
      throw error;
    }
  }
}

/** What a peer lends putVar/getVar: its packets, as Godot's PacketPeer::put_packet/get_packet. */
export interface VariantPacketPeer {
  putPacket(data: Uint8Array): GodotError;
  getPacket(): Buffer;
  getPacketError(): GodotError;
}

/** put_var: encodes and sends; a value that cannot go is a failure and nothing is sent. */
export function putVariant(io: PacketVariantIo, peer: VariantPacketPeer, value: EncodableVariant, fullObjects: boolean): GodotError | VariantIoFailure {
  const packet = io.encode(value, fullObjects);
  return packet instanceof Uint8Array ? peer.putPacket(packet) : packet;
}

/** get_var: takes the next packet and decodes it; no packet (ERR_UNAVAILABLE) or a bad one is a failure, and Godot's get_var then returns null. */
export function getVariant(io: PacketVariantIo, peer: VariantPacketPeer, allowObjects: boolean): { value: Variant } | VariantIoFailure {
  const packet = peer.getPacket();
  const error = peer.getPacketError();
  if (error !== GodotError.OK) return { code: error, message: 'No packet to read a Variant from' };
  return io.decode(packet, allowObjects);
}
