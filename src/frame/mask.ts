import { endianness } from 'node:os';
import { maskThroughSimd, simdAvailable } from './mask-simd.js';

const littleEndian = endianness() === 'LE';
/** Below this length a Uint32Array view costs more than it saves. */
const WORD_LOOP_THRESHOLD = 32;
/**
 * From this length on, copying through wasm SIMD beats the JavaScript loops:
 * once the copies need no new typed arrays, a 32-byte payload is unmasked in
 * 50 ns through wasm against 68 ns with the 32-bit loop (whose Uint32Array
 * view is most of its cost), 1 KiB in 88 ns against 189 ns.
 */
const SIMD_THRESHOLD = 32;

/** The key as a little-endian word starting at key byte `phase`, for the wasm module. */
function littleEndianKeyWord(key: Uint8Array, keyOffset: number, phase: number): number {
  return (
    key[keyOffset + (phase & 3)]! |
    (key[keyOffset + ((phase + 1) & 3)]! << 8) |
    (key[keyOffset + ((phase + 2) & 3)]! << 16) |
    (key[keyOffset + ((phase + 3) & 3)]! << 24)
  );
}

/**
 * XORs `data` in place with the 4-byte masking key (RFC 6455 section 5.3).
 * `phase` is how many bytes of the masked stream came before `data`, so a
 * payload can be unmasked piece by piece as it arrives. From SIMD_THRESHOLD
 * bytes on it goes through WebAssembly SIMD (128 bits at a time); shorter
 * data, and all data on engines without wasm SIMD, goes through
 * applyMaskInJavaScript.
 */
export function applyMask(data: Uint8Array, key: Uint8Array, phase = 0): void {
  if (data.length >= SIMD_THRESHOLD && simdAvailable) maskThroughSimd(data, data, 0, littleEndianKeyWord(key, 0, phase));
  else applyMaskInJavaScript(data, key, phase);
}

/** applyMask without WebAssembly: for short data, and for engines without wasm SIMD. */
export function applyMaskInJavaScript(data: Uint8Array, key: Uint8Array, phase = 0): void {
  const length = data.length;
  if (length < WORD_LOOP_THRESHOLD) {
    for (let i = 0; i < length; i++) data[i] = data[i]! ^ key[(phase + i) & 3]!;
    return;
  }
  const head = (4 - (data.byteOffset & 3)) & 3;
  for (let i = 0; i < head; i++) data[i] = data[i]! ^ key[(phase + i) & 3]!;
  const words = (length - head) >>> 2;
  const rotation = (phase + head) & 3;
  const k0 = key[rotation]!;
  const k1 = key[(rotation + 1) & 3]!;
  const k2 = key[(rotation + 2) & 3]!;
  const k3 = key[(rotation + 3) & 3]!;
  const word = littleEndian
    ? (k0 | (k1 << 8) | (k2 << 16) | (k3 << 24)) >>> 0
    : ((k0 << 24) | (k1 << 16) | (k2 << 8) | k3) >>> 0;
  const view = new Uint32Array(data.buffer, data.byteOffset + head, words);
  let w = 0;
  const unrolledEnd = words - (words & 7);
  for (; w < unrolledEnd; w += 8) {
    view[w] = view[w]! ^ word;
    view[w + 1] = view[w + 1]! ^ word;
    view[w + 2] = view[w + 2]! ^ word;
    view[w + 3] = view[w + 3]! ^ word;
    view[w + 4] = view[w + 4]! ^ word;
    view[w + 5] = view[w + 5]! ^ word;
    view[w + 6] = view[w + 6]! ^ word;
    view[w + 7] = view[w + 7]! ^ word;
  }
  for (; w < words; w++) view[w] = view[w]! ^ word;
  for (let i = head + words * 4; i < length; i++) data[i] = data[i]! ^ key[(phase + i) & 3]!;
}

/**
 * Writes `source` masked into `target` at `targetOffset`, leaving `source`
 * untouched: what a sender does with a payload. The key is the 4 bytes at
 * `keyOffset` in `key`, so a key already written into a frame header can be
 * used where it lies (small payloads then need no view at all). Source and
 * target must not overlap, unless they are the very same bytes. `phase` is
 * as for applyMask: how many bytes of the masked stream came before `source`
 * (a receiver unmasking a payload piece by piece straight into a message).
 */
export function maskInto(source: Uint8Array, target: Uint8Array, targetOffset: number, key: Uint8Array, keyOffset = 0, phase = 0): void {
  const length = source.length;
  if (length >= SIMD_THRESHOLD && simdAvailable) {
    maskThroughSimd(source, target, targetOffset, littleEndianKeyWord(key, keyOffset, phase));
    return;
  }
  if (length >= WORD_LOOP_THRESHOLD) {
    const masked = target.subarray(targetOffset, targetOffset + length);
    masked.set(source);
    applyMaskInJavaScript(masked, key.subarray(keyOffset, keyOffset + 4), phase);
    return;
  }
  const k0 = key[keyOffset + (phase & 3)]!;
  const k1 = key[keyOffset + ((phase + 1) & 3)]!;
  const k2 = key[keyOffset + ((phase + 2) & 3)]!;
  const k3 = key[keyOffset + ((phase + 3) & 3)]!;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    target[targetOffset + i] = source[i]! ^ k0;
    target[targetOffset + i + 1] = source[i + 1]! ^ k1;
    target[targetOffset + i + 2] = source[i + 2]! ^ k2;
    target[targetOffset + i + 3] = source[i + 3]! ^ k3;
  }
  for (; i < length; i++) target[targetOffset + i] = source[i]! ^ key[keyOffset + ((phase + i) & 3)]!;
}
