// PacketVariantIo (put_var / get_var shared by every peer): which failures
// become a Godot error code, and which are the caller's bug and are rethrown.

import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { getVariant, PacketVariantIo, putVariant, type VariantPacketPeer } from '../../src/peer/packet-variant.js';
import { ObjectId } from '../../src/variant/index.js';

function fakePeer(packets: Buffer[] = []): VariantPacketPeer & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  let error: GodotError = GodotError.OK;
  return {
    sent,
    putPacket(data) {
      sent.push(data);
      return GodotError.OK;
    },
    getPacket() {
      const next = packets.shift();
      error = next === undefined ? GodotError.ERR_UNAVAILABLE : GodotError.OK;
      return next ?? Buffer.alloc(0);
    },
    getPacketError: () => error,
  };
}

describe('PacketVariantIo', () => {
  it('a value the encoder refuses is its code and message, and nothing is sent', () => {
    const peer = fakePeer();
    expect(putVariant(new PacketVariantIo(4), peer, new ObjectId(-1n), false)).toEqual({
      code: GodotError.ERR_INVALID_PARAMETER,
      message: 'id -1 is not a bigint in 0 .. 2^64-1 (at $)',
    });
    expect(peer.sent).toEqual([]);
  });

  it("an error that is not the encoder's (a hostile value) is rethrown, and nothing is sent", () => {
    const peer = fakePeer();
    const trap = new TypeError('trap');
    const hostile = new Proxy({}, {
      getPrototypeOf() {
        throw trap;
      },
    });
    expect(() => putVariant(new PacketVariantIo(4), peer, hostile as never, false)).toThrow(trap);
    expect(peer.sent).toEqual([]);
  });

  it('get_var without a packet is ERR_UNAVAILABLE; a bad packet is the decoder code with "Invalid Variant packet"', () => {
    const io = new PacketVariantIo(4);
    expect(getVariant(io, fakePeer(), false)).toEqual({ code: GodotError.ERR_UNAVAILABLE, message: 'No packet to read a Variant from' });
    const bad = getVariant(io, fakePeer([Buffer.from([0xff, 0, 0, 0])]), false);
    expect(bad).toMatchObject({ code: GodotError.ERR_INVALID_DATA });
    expect((bad as { message: string }).message).toMatch(/^Invalid Variant packet: /);
  });

  it('only generations 3 and 4 exist', () => {
    expect(PacketVariantIo.checkGeneration(3)).toBe(3);
    expect(() => PacketVariantIo.checkGeneration(5)).toThrow('variantGeneration must be 3 or 4, got 5');
  });
});
