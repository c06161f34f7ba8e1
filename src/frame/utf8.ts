import { isUtf8 } from 'node:buffer';

/** Whether a complete byte string is valid UTF-8 (simdutf inside Node). */
export function isValidUtf8(data: Uint8Array): boolean {
  return data.length === 0 || isUtf8(data);
}

// States of a byte-at-a-time automaton over Unicode's well-formed sequences
// (Unicode 15, table 3-7). It only runs on the few bytes that straddle a chunk
// boundary; whole runs go through isUtf8.
const ACCEPT = 0;
const NEED_1 = 1; // one more 80..BF
const NEED_2 = 2; // two more 80..BF
const NEED_3 = 3; // three more 80..BF
const AFTER_E0 = 4; // next must be A0..BF (no overlong 3-byte forms)
const AFTER_ED = 5; // next must be 80..9F (no surrogates)
const AFTER_F0 = 6; // next must be 90..BF (no overlong 4-byte forms)
const AFTER_F4 = 7; // next must be 80..8F (nothing above U+10FFFF)
const REJECT = -1;

function step(state: number, byte: number): number {
  switch (state) {
    case ACCEPT:
      if (byte < 0x80) return ACCEPT;
      if (byte < 0xc2) return REJECT;
      if (byte < 0xe0) return NEED_1;
      if (byte === 0xe0) return AFTER_E0;
      if (byte === 0xed) return AFTER_ED;
      if (byte < 0xf0) return NEED_2;
      if (byte === 0xf0) return AFTER_F0;
      if (byte < 0xf4) return NEED_3;
      if (byte === 0xf4) return AFTER_F4;
      return REJECT;
    case NEED_1:
      return byte >= 0x80 && byte <= 0xbf ? ACCEPT : REJECT;
    case NEED_2:
      return byte >= 0x80 && byte <= 0xbf ? NEED_1 : REJECT;
    case NEED_3:
      return byte >= 0x80 && byte <= 0xbf ? NEED_2 : REJECT;
    case AFTER_E0:
      return byte >= 0xa0 && byte <= 0xbf ? NEED_1 : REJECT;
    case AFTER_ED:
      return byte >= 0x80 && byte <= 0x9f ? NEED_1 : REJECT;
    case AFTER_F0:
      return byte >= 0x90 && byte <= 0xbf ? NEED_2 : REJECT;
    case AFTER_F4:
      return byte >= 0x80 && byte <= 0x8f ? NEED_2 : REJECT;
    default:
      return REJECT;
  }
}

function sequenceLength(leadByte: number): number {
  if (leadByte >= 0xf0) return 4;
  if (leadByte >= 0xe0) return 3;
  if (leadByte >= 0xc0) return 2;
  return 1;
}

/**
 * Validates UTF-8 that arrives in pieces (fragments, or TCP chunks of one
 * frame). `push` returns false as soon as the bytes seen so far can no longer
 * be the start of valid UTF-8, so a bad byte in an early piece fails at once.
 */
export class Utf8Validator {
  private state = ACCEPT;

  push(chunk: Uint8Array): boolean {
    const length = chunk.length;
    let start = 0;
    let state = this.state;
    while (state !== ACCEPT && start < length) {
      state = step(state, chunk[start++]!);
      if (state === REJECT) return this.fail();
    }
    if (start === length) {
      this.state = state;
      return true;
    }

    // A sequence cut by the end of the chunk is checked as a prefix by the
    // automaton; everything before it in one isUtf8 call.
    let end = length;
    let lead = length - 1;
    while (lead > start && length - lead < 4 && (chunk[lead]! & 0xc0) === 0x80) lead--;
    if (sequenceLength(chunk[lead]!) > length - lead) end = lead;

    if (end > start) {
      const body = start === 0 && end === length ? chunk : chunk.subarray(start, end);
      if (!isUtf8(body)) return this.fail();
    }
    for (let i = end; i < length; i++) {
      state = step(state, chunk[i]!);
      if (state === REJECT) return this.fail();
    }
    this.state = state;
    return true;
  }

  /** True when the bytes pushed since the last reset form complete, valid UTF-8. */
  finish(): boolean {
    const complete = this.state === ACCEPT;
    this.state = ACCEPT;
    return complete;
  }

  reset(): void {
    this.state = ACCEPT;
  }

  private fail(): false {
    this.state = ACCEPT;
    return false;
  }
}
