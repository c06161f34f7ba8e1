/**
 * An incremental reader of the frames a server sends (unmasked; masked ones
 * are unmasked too, to be lenient). Calls `onFrame` per complete frame; it
 * does not reassemble fragments (the benchmark's peers never receive any).
 */
export type FrameHandler = (opcode: number, fin: boolean, payload: Buffer) => void;

export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: FrameHandler) {}

  push(chunk: Buffer): void {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    for (;;) {
      if (data.length - at < 2) break;
      const first = data[at]!;
      const second = data[at + 1]!;
      let length = second & 0x7f;
      let offset = at + 2;
      if (length === 126) {
        if (data.length - offset < 2) break;
        length = data.readUInt16BE(offset);
        offset += 2;
      } else if (length === 127) {
        if (data.length - offset < 8) break;
        length = data.readUInt32BE(offset) * 0x100000000 + data.readUInt32BE(offset + 4);
        offset += 8;
      }
      const masked = (second & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (data.length - offset < length) break;
      const payload = Buffer.from(data.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < length; i++) payload[i]! ^= data[maskAt + (i & 3)]!;
      at = offset + length;
      this.onFrame(first & 0x0f, (first & 0x80) !== 0, payload);
    }
    this.pending = at === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
    data = this.pending;
  }
}

/** The status code of a close frame payload (1005 when it carries none). */
export function closeCodeOf(payload: Buffer): number {
  return payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
}
