/**
 * The test's own frame writer, independent of src/frame: it can also produce
 * what gdws never writes (non-minimal length forms, a set top bit in a 64-bit
 * length, any first byte), so the decoder can be checked on all of them.
 */
export type LengthForm = 7 | 16 | 64;

export interface WireFrameSpec {
  /** The whole first header byte: FIN, RSV1-3 and opcode. */
  firstByte: number;
  masked: boolean;
  maskKey: Uint8Array;
  payload: Uint8Array;
  lengthForm: LengthForm;
  /** Only with lengthForm 64: writes the length with its most significant bit set. */
  topBitSet?: boolean;
}

export function minimalLengthForm(length: number): LengthForm {
  return length < 126 ? 7 : length < 65536 ? 16 : 64;
}

/** Header bytes: 2, then 0, 2 or 8 bytes of extended length, then the key when masked. */
export function wireHeader(spec: WireFrameSpec): Buffer {
  const length = spec.payload.length;
  const bytes: number[] = [spec.firstByte];
  const maskBit = spec.masked ? 0x80 : 0;
  if (spec.lengthForm === 7) {
    if (length > 125) throw new RangeError('7-bit form holds at most 125');
    bytes.push(maskBit | length);
  } else if (spec.lengthForm === 16) {
    if (length > 0xffff) throw new RangeError('16-bit form holds at most 65535');
    bytes.push(maskBit | 126, length >> 8, length & 0xff);
  } else {
    bytes.push(maskBit | 127);
    let rest = BigInt(length);
    const lengthBytes: number[] = [];
    for (let i = 0; i < 8; i++) {
      lengthBytes.unshift(Number(rest & 0xffn));
      rest >>= 8n;
    }
    if (spec.topBitSet === true) lengthBytes[0]! |= 0x80;
    bytes.push(...lengthBytes);
  }
  if (spec.masked) bytes.push(...spec.maskKey);
  return Buffer.from(bytes);
}

export function maskedCopy(payload: Uint8Array, key: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = payload[i]! ^ key[i % 4]!;
  return out;
}

/** Header then payload, masked with `maskKey` when `masked`. */
export function wireFrame(spec: WireFrameSpec): Buffer {
  const body = spec.masked ? maskedCopy(spec.payload, spec.maskKey) : Buffer.from(spec.payload);
  return Buffer.concat([wireHeader(spec), body]);
}

/** A frame with the usual parts spelled out: FIN set, no RSV, minimal length. */
export function simpleFrame(
  opcode: number,
  payload: Uint8Array | string,
  options: { fin?: boolean; rsv?: number; masked?: boolean; maskKey?: Uint8Array; lengthForm?: LengthForm } = {},
): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return wireFrame({
    firstByte: (options.fin === false ? 0 : 0x80) | (options.rsv ?? 0) | opcode,
    masked: options.masked === true,
    maskKey: options.maskKey ?? Uint8Array.of(0x37, 0xfa, 0x21, 0x3d),
    payload: bytes,
    lengthForm: options.lengthForm ?? minimalLengthForm(bytes.length),
  });
}
