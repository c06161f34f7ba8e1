import { endianness } from 'node:os';

const littleEndian = endianness() === 'LE';
/** Below this length a Uint32Array view costs more than it saves. */
const WORD_LOOP_THRESHOLD = 32;

/**
 * XORs `data` in place with the 4-byte masking key (RFC 6455 section 5.3).
 * `phase` is how many bytes of the masked stream came before `data`, so a
 * payload can be unmasked piece by piece as it arrives. The aligned middle is
 * done 32 bits at a time.
 */
export function applyMask(data: Uint8Array, key: Uint8Array, phase = 0): void {
  const length = data.length;
  if (length < WORD_LOOP_THRESHOLD) {
    for (let i = 0; i < length; i++) data[i] ^= key[(phase + i) & 3]!;
    return;
  }
  const head = (4 - (data.byteOffset & 3)) & 3;
  for (let i = 0; i < head; i++) data[i] ^= key[(phase + i) & 3]!;
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
    view[w] ^= word;
    view[w + 1] ^= word;
    view[w + 2] ^= word;
    view[w + 3] ^= word;
    view[w + 4] ^= word;
    view[w + 5] ^= word;
    view[w + 6] ^= word;
    view[w + 7] ^= word;
  }
  for (; w < words; w++) view[w] ^= word;
  for (let i = head + words * 4; i < length; i++) data[i] ^= key[(phase + i) & 3]!;
}
