import { GodotError } from '../godot-error.js';

export interface Godot3BufferLimits {
  inboundBufferSize: number;
  outboundBufferSize: number;
  maxQueuedPackets: number;
}

/**
 * Godot 3's `set_buffers`: sizes in KiB and packet counts, rounded up to
 * powers of two as Godot does (the largest inbound message is then 2^n - 1
 * bytes). gdws has one packet limit for both directions, the larger of the two.
 */
export function godot3BufferLimits(inputBufferSizeKb: number, inputMaxPackets: number, outputBufferSizeKb: number, outputMaxPackets: number): Godot3BufferLimits | { error: GodotError; message: string } {
  const values = [inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets];
  if (!values.every((value) => Number.isInteger(value) && value > 0)) {
    return { error: GodotError.ERR_INVALID_PARAMETER, message: `setBuffers takes four positive integers, got ${values.join(', ')}` };
  }
  return {
    inboundBufferSize: powerOfTwoAtLeast(inputBufferSizeKb * 1024) - 1,
    outboundBufferSize: powerOfTwoAtLeast(outputBufferSizeKb * 1024) - 1,
    maxQueuedPackets: powerOfTwoAtLeast(Math.max(inputMaxPackets, outputMaxPackets)) - 1,
  };
}

/** Applies `setBuffers` to `target`'s settings; returns the error to record, or null. */
export function applyGodot3Buffers(
  target: Godot3BufferLimits,
  inputBufferSizeKb: number,
  inputMaxPackets: number,
  outputBufferSizeKb: number,
  outputMaxPackets: number,
): { error: GodotError; message: string } | null {
  const limits = godot3BufferLimits(inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets);
  if ('error' in limits) return limits;
  target.inboundBufferSize = limits.inboundBufferSize;
  target.outboundBufferSize = limits.outboundBufferSize;
  target.maxQueuedPackets = limits.maxQueuedPackets;
  return null;
}

function powerOfTwoAtLeast(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}

export const NOT_MULTIPLAYER = 'Not using the multiplayer API (gdMpApi): use getPeer(id) to talk to a connection';
