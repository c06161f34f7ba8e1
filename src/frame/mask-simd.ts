/**
 * XOR masking with WebAssembly SIMD, 64 bytes per loop turn. JavaScript can
 * only XOR 32 bits at a time; V8's wasm does 128. Wasm code sees only its own
 * memory, so data is copied in and out in blocks that stay in cache: copying
 * (memmove) is several times faster than a JavaScript XOR loop, so copy, XOR,
 * copy back wins from a few dozen bytes on, as long as the copies create no
 * typed arrays (see mask.ts's SIMD_THRESHOLD; bench/frame.bench.ts compares
 * it with ws's native bufferutil, which the copies keep it short of).
 *
 * The module is assembled here by hand (a few dozen bytes), so there is no
 * build step and no file to load. The one function is
 *   xor(start: i32, end: i32, keyWord: i32)
 * and XORs every 16-byte lane of memory[start, end) with keyWord repeated
 * four times; end - start must be a multiple of 64.
 */

/** Bytes masked per copy-in, XOR, copy-out round; a multiple of 64, small enough for L1/L2. */
export const SIMD_BLOCK = 16 * 1024;
/**
 * Wasm memory after the scratch block that sockets read into (see
 * `simdReadRegion`): bytes read there are unmasked where they lie, with no
 * copy in, and leave with one copy out. Every connection of an event loop
 * reads into it (reads are handled one at a time, and nothing keeps a view
 * of it), so it can be large: a large message then takes few reads.
 */
export const READ_REGION_SIZE = 256 * 1024;
const READ_REGION_START = SIMD_BLOCK + 64;

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (character) => character.charCodeAt(0))];
}

const I32 = 0x7f;
const V128 = 0x7b;
const SIMD = 0xfd;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;

/** memory[address + offset] ^= key, for one 16-byte lane; 4 = log2 of the 16-byte alignment. */
function xorLane(offset: number): number[] {
  return [
    LOCAL_GET, 0, // address (for the store)
    LOCAL_GET, 0, SIMD, 0x00, 4, offset, // v128.load
    LOCAL_GET, 3, SIMD, 0x51, // v128.xor with the splatted key
    SIMD, 0x0b, 4, offset, // v128.store
  ];
}

function moduleBytes(): Uint8Array {
  const body = [
    1, 1, V128, // one local: $key (v128), after the params $start, $end, $keyWord
    LOCAL_GET, 2, SIMD, 0x11, LOCAL_SET, 3, // $key = i32x4.splat($keyWord)
    0x02, 0x40, // block
    0x03, 0x40, // loop
    LOCAL_GET, 0, LOCAL_GET, 1, 0x4f, 0x0d, 1, // br_if out when $start >= $end (unsigned)
    ...xorLane(0),
    ...xorLane(16),
    ...xorLane(32),
    ...xorLane(48),
    LOCAL_GET, 0, 0x41, 0xc0, 0x00, 0x6a, LOCAL_SET, 0, // $start += 64
    0x0c, 0, // continue the loop
    0x0b, 0x0b, 0x0b, // end loop, block, function
  ];
  const pages = Math.ceil((READ_REGION_START + READ_REGION_SIZE) / 65536);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 3, I32, I32, I32, 0]), // one type: (i32, i32, i32) -> ()
    ...section(3, [1, 0]), // one function, of that type
    ...section(5, [1, 0x00, pages]), // one memory, no maximum
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('xor'), 0x00, 0]),
    ...section(10, [1, ...unsignedLeb(body.length), ...body]),
  ]);
}

interface SimdMasker {
  /** The wasm memory (it never grows, so this ArrayBuffer stays valid). */
  memory: ArrayBuffer;
  /** The wasm memory, as bytes: blocks are copied to offset 0. */
  scratch: Uint8Array;
  /**
   * The last view of the scratch block's first bytes handed to a copy out,
   * kept for the next block of the same length: messages of one size
   * repeat, and a typed array per copy is a measurable share of masking
   * a message of a few KiB.
   */
  lastCopyOut: Uint8Array;
  xor: (this: void, start: number, end: number, keyWord: number) => void;
}

/** The part of the WebAssembly global used here; the project's type libraries (ES2022, no DOM) do not declare it. */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; xor: SimdMasker['xor'] } };
}

/** Null where the engine lacks WebAssembly SIMD; masking then stays in JavaScript. */
function instantiate(): SimdMasker | null {
  try {
    const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
    const { exports } = new Instance(new Module(moduleBytes()));
    const memory = exports.memory.buffer;
    return { memory, scratch: new Uint8Array(memory), lastCopyOut: new Uint8Array(memory, 0, 0), xor: exports.xor };
  } catch {
    return null;
  }
}

const masker = instantiate();

/** Whether this engine runs the SIMD module; when false, callers must use the JavaScript loop. */
export const simdAvailable = masker !== null;

/**
 * Writes `source` XOR the repeated little-endian `keyWord` to `target` at
 * `targetOffset`, one block at a time through wasm memory. Source and target
 * may be the same bytes (masking in place). Blocks start at multiples of
 * SIMD_BLOCK (a multiple of 4), so the same key word serves every block.
 */
export function maskThroughSimd(source: Uint8Array, target: Uint8Array, targetOffset: number, keyWord: number): void {
  const simd = masker!;
  const length = source.length;
  const sourceMemory = source.buffer;
  if (sourceMemory === simd.memory) {
    maskInWasmMemory(source, target, targetOffset, keyWord);
    return;
  }
  if (length <= SIMD_BLOCK) {
    // One block, the common case: no view of the source needed.
    simd.scratch.set(source);
    maskScratchInto(simd, length, target, targetOffset, keyWord);
    return;
  }
  const sourceOffset = source.byteOffset;
  for (let start = 0; start < length; start += SIMD_BLOCK) {
    const count = Math.min(SIMD_BLOCK, length - start);
    // Plain Uint8Array views: a Buffer's subarray() builds a Buffer, which costs more.
    simd.scratch.set(new Uint8Array(sourceMemory, sourceOffset + start, count));
    maskScratchInto(simd, count, target, targetOffset + start, keyWord);
  }
}

/** XORs the scratch block's first `count` bytes and copies them to `target` at `targetOffset`. */
function maskScratchInto(simd: SimdMasker, count: number, target: Uint8Array, targetOffset: number, keyWord: number): void {
  // Rounded up to the 64-byte loop step: the bytes past `count` are scratch and are not copied back.
  simd.xor(0, (count + 63) & ~63, keyWord);
  let view = simd.lastCopyOut;
  if (view.length !== count) view = simd.lastCopyOut = new Uint8Array(simd.memory, 0, count);
  target.set(view, targetOffset);
}

/**
 * `source` lies in wasm memory (the read region): XOR it where it lies, the
 * 64-byte steps in wasm and the last few bytes here (the bytes after it are
 * the next frame's), then copy it to `target` unless that is where it is.
 */
function maskInWasmMemory(source: Uint8Array, target: Uint8Array, targetOffset: number, keyWord: number): void {
  const length = source.length;
  const steps = length & ~63;
  if (steps > 0) masker!.xor(source.byteOffset, source.byteOffset + steps, keyWord);
  for (let i = steps; i < length; i++) source[i] = source[i]! ^ ((keyWord >>> ((i & 3) << 3)) & 0xff);
  if (target.buffer !== source.buffer || target.byteOffset + targetOffset !== source.byteOffset) target.set(source, targetOffset);
}

/**
 * A Buffer over wasm memory for socket reads (the event loop's one reused
 * read buffer), or null without SIMD. Masked payloads read into it are
 * unmasked without being copied into wasm memory first.
 */
export function simdReadRegion(): Buffer | null {
  return masker === null ? null : Buffer.from(masker.memory, READ_REGION_START, READ_REGION_SIZE);
}
