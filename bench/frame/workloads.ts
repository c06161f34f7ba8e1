import { randomFillSync } from 'node:crypto';
import { applyMask, frameHeaderLength, writeFrameHeader } from '../../src/frame/index.js';

/** `count` masked frames (as a client sends them) of `payload`, each with its own random key, in one buffer. */
export function maskedFrameStream(count: number, opcode: number, payload: Buffer): Buffer {
  const frameLength = frameHeaderLength(payload.length, true) + payload.length;
  const stream = Buffer.allocUnsafe(count * frameLength);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    offset = writeFrameHeader(stream, offset, true, 0, opcode, payload.length, true);
    const body = stream.subarray(offset, offset + payload.length);
    payload.copy(body);
    applyMask(body, stream.subarray(offset - 4, offset));
    offset += payload.length;
  }
  return stream;
}

const SAMPLES = [
  'The quick brown fox jumps over the lazy dog. ',
  'Größenwahn, Übermut und Ärger über Öl. ',
  'Съешь же ещё этих мягких французских булок, да выпей чаю. ',
  'Ο καλύτερος φίλος του ανθρώπου. ',
  'الخط العربي جميل جدا. ',
  'שלום עולם, מה שלומך? ',
  '色は匂へど散りぬるを我が世誰ぞ常ならむ。',
  '天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。',
  '다람쥐 헌 쳇바퀴에 타고파. ',
  'สวัสดีชาวโลก ',
  'Emoji: 🎮🕹️👾🚀🌍✨ ',
];

/** `length` bytes of valid UTF-8 mixing scripts of 1- to 4-byte sequences (ends padded with ASCII). */
export function mixedScriptText(length: number): Buffer {
  const samples = SAMPLES.map((sample) => Buffer.from(sample));
  const text = Buffer.alloc(length, 0x20);
  let offset = 0;
  for (let i = 0; ; i = (i * 7 + 3) % samples.length) {
    const sample = samples[i]!;
    if (offset + sample.length > length) break;
    sample.copy(text, offset);
    offset += sample.length;
  }
  return text;
}

export function randomBytes(length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let offset = 0; offset < length; offset += 65536) randomFillSync(bytes, offset, Math.min(65536, length - offset));
  return bytes;
}

/**
 * `size`-byte pieces of `buffer` as a decoder hands them over from socket
 * reads: each run of `readSize` bytes copied into a buffer of its own (Node
 * gives every read its own exactly-sized memory), the pieces views into it.
 */
export function slicesOfReads(buffer: Buffer, size: number, readSize: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let start = 0; start < buffer.length; start += readSize) {
    const read = Buffer.allocUnsafeSlow(Math.min(readSize, buffer.length - start));
    buffer.copy(read, 0, start, start + read.length);
    pieces.push(...slices(read, size));
  }
  return pieces;
}

export function slices(buffer: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) pieces.push(buffer.subarray(offset, offset + size));
  return pieces;
}
