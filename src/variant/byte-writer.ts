/** A little-endian output buffer that grows by doubling; the encoder's only way to write. */

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();

export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 256) {
    this.bytes = new Uint8Array(initialCapacity);
    this.view = new DataView(this.bytes.buffer);
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    // Doubling, but straight to the size needed for one large write (a big packed array).
    const capacity = Math.max(this.bytes.length * 2, needed);
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0, true);
    this.length += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }

  i64(value: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.length, value, true);
    this.length += 8;
  }

  u64(value: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, value, true);
    this.length += 8;
  }

  f32(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Zero bytes up to the next multiple of 4: every Godot field is 4-aligned. */
  pad(): void {
    const padding = (4 - (this.length % 4)) % 4;
    this.reserve(padding);
    this.bytes.fill(0, this.length, this.length + padding);
    this.length += padding;
  }

  raw(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** A typed array's elements as little-endian bytes: one copy on little-endian hosts. */
  elements(source: Int32Array | Float32Array | Float64Array | BigInt64Array): void {
    if (LITTLE_ENDIAN_HOST) {
      this.raw(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
      return;
    }
    for (const element of source) {
      if (typeof element === 'bigint') this.i64(element);
      else if (source instanceof Int32Array) this.i32(element);
      else if (source instanceof Float32Array) this.f32(element);
      else this.f64(element);
    }
  }

  /** Godot's _encode_string: byte length, UTF-8 bytes, zero padding to 4 (and a NUL first when `terminated`). */
  string(text: string, terminated = false): void {
    const extra = terminated ? 1 : 0;
    // At most 3 UTF-8 bytes per UTF-16 unit; write in place, then the length in front.
    this.reserve(4 + text.length * 3 + extra + 3);
    const start = this.length + 4;
    let written = asciiInto(text, this.bytes, start);
    if (written < 0) written = utf8.encodeInto(text, this.bytes.subarray(start)).written;
    this.view.setUint32(this.length, written + extra, true);
    this.length = start + written;
    if (terminated) this.bytes[this.length++] = 0;
    this.pad();
  }

  /** The bytes written; the buffer itself when it is exactly full (a single large write), else a copy. */
  result(): Uint8Array {
    return this.length === this.bytes.length ? this.bytes : this.bytes.slice(0, this.length);
  }
}

/** Copies an all-ASCII string byte for byte; -1 (nothing usable) as soon as a non-ASCII unit shows up. */
function asciiInto(text: string, target: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) return -1;
    target[at + i] = unit;
  }
  return text.length;
}

export { LITTLE_ENDIAN_HOST };
