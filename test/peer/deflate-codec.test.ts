import { randomBytes } from 'node:crypto';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, ProtocolError } from '../../src/frame/index.js';
import { MessageDeflater } from '../../src/peer/message-deflater.js';
import { INFLATE_CHUNK_BYTES, MessageInflater } from '../../src/peer/message-inflater.js';
import { zeroBomb } from './deflate-support/bombs.js';

const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const disposables: Array<{ dispose(): void }> = [];

afterEach(() => {
  for (const item of disposables.splice(0)) item.dispose();
});

function inflater(windowBits = 15, resetAfterMessage = false): MessageInflater {
  const created = new MessageInflater(windowBits, resetAfterMessage);
  disposables.push(created);
  return created;
}

function deflater(windowBits = 15, resetAfterMessage = false): MessageDeflater {
  const created = new MessageDeflater(windowBits, resetAfterMessage, zlibConstants.Z_DEFAULT_LEVEL, 8);
  disposables.push(created);
  return created;
}

function inflate(target: MessageInflater, data: Buffer, limit = 64 << 20): Promise<Buffer> {
  return new Promise((resolve, reject) => target.inflate(data, limit, (error, output) => (error === null ? resolve(output) : reject(error))));
}

function deflate(target: MessageDeflater, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => target.deflate(data, (error, output) => (error === null ? resolve(output) : reject(error))));
}

async function inflateError(target: MessageInflater, data: Buffer, limit: number): Promise<ProtocolError> {
  try {
    await inflate(target, data, limit);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected the message to be refused');
}

/** What a peer puts on the wire: sync-flushed raw DEFLATE without its tail. */
function wireDeflate(data: Buffer): Buffer {
  const flushed = deflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  return flushed.subarray(0, flushed.length - TAIL.length);
}

function wireInflate(data: Buffer, windowBits = 15): Buffer {
  return inflateRawSync(Buffer.concat([data, TAIL]), { windowBits, finishFlush: zlibConstants.Z_SYNC_FLUSH });
}

/** Text that compresses like real text: words from a small vocabulary. */
function words(count: number, seed = 1): Buffer {
  const vocabulary = ['godot', 'node', 'socket', 'frame', 'window', 'deflate', 'message', 'player', 'state', 'update'];
  let state = seed;
  const out: string[] = [];
  for (let index = 0; index < count; index++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out.push(vocabulary[state % vocabulary.length]!);
  }
  return Buffer.from(out.join(' '));
}


describe('MessageDeflater', () => {
  it('produces raw DEFLATE without the 00 00 ff ff tail, which zlib inflates back', async () => {
    const data = words(2000);
    const compressed = await deflate(deflater(), data);
    expect(compressed.length).toBeLessThan(data.length / 3);
    expect(compressed.subarray(-4).equals(TAIL)).toBe(false);
    expect(wireInflate(compressed)).toEqual(data);
  });

  it('compresses an empty message to the single 0x00 byte RFC 7692 describes', async () => {
    expect(await deflate(deflater(), Buffer.alloc(0))).toEqual(Buffer.from([0x00]));
  });

  it('keeps its window across messages with context takeover, and not without', async () => {
    const message = words(300, 7);
    const keeping = deflater(15, false);
    const first = await deflate(keeping, message);
    const second = await deflate(keeping, message);
    expect(second.length).toBeLessThan(first.length / 4);

    const resetting = deflater(15, true);
    const firstReset = await deflate(resetting, message);
    const secondReset = await deflate(resetting, message);
    expect(secondReset).toEqual(firstReset);
    expect(wireInflate(secondReset)).toEqual(message);
  });

  it('stays within an 8-bit window although zlib deflates with 9', async () => {
    const block = randomBytes(240);
    const data = Buffer.concat([block, block, randomBytes(600), block]);
    const compressed = await deflate(deflater(8), data);
    expect(compressed.length).toBeLessThan(data.length);
    expect(wireInflate(compressed, 8)).toEqual(data);
  });

  it('frees a context-less stream after a quiet period and recreates it on demand', async () => {
    const target = deflater(15, true);
    await deflate(target, words(100));
    expect(target.holdsStream).toBe(true);
    await expect.poll(() => target.holdsStream, { timeout: 5000, interval: 100 }).toBe(false);
    expect(wireInflate(await deflate(target, words(50)))).toEqual(words(50));
  });

  it('frees an idle stream that keeps context too, and carries the context over to the next one', async () => {
    const sender = deflater(15, false);
    const receiver = inflater(15, false);
    const message = words(400, 11);
    expect(await inflate(receiver, await deflate(sender, message))).toEqual(message);
    await expect.poll(() => sender.holdsStream || receiver.holdsStream, { timeout: 5000, interval: 100 }).toBe(false);
    // The repeat still refers back to the first message: the window survived as a preset dictionary.
    const repeat = await deflate(sender, message);
    expect(repeat.length).toBeLessThan(40);
    expect(await inflate(receiver, repeat)).toEqual(message);
    expect(await inflate(receiver, await deflate(sender, words(50, 12)))).toEqual(words(50, 12));
  });
});

describe('MessageInflater', () => {
  it('round-trips messages with the deflater, in both context modes and every window size', async () => {
    for (const reset of [false, true]) {
      for (let bits = 8; bits <= 15; bits++) {
        const sender = deflater(bits, reset);
        const receiver = inflater(bits, reset);
        for (const message of [words(10), Buffer.alloc(0), words(5000, bits), randomBytes(3000)]) {
          expect(await inflate(receiver, await deflate(sender, message))).toEqual(message);
        }
      }
    }
  });

  it('creates no zlib stream until the first compressed message', async () => {
    const target = inflater();
    expect(target.holdsStream).toBe(false);
    await inflate(target, wireDeflate(words(10)));
    expect(target.holdsStream).toBe(true);
  });

  it('accepts a message ended by a final block and starts a new stream for the next one', async () => {
    const target = inflater();
    const first = words(400, 3);
    expect(await inflate(target, deflateRawSync(first))).toEqual(first);
    // The next message may refer back into the last one's window (context takeover).
    const second = deflateRawSync(first, { dictionary: first });
    expect(await inflate(target, second)).toEqual(first);
    expect(await inflate(target, deflateRawSync(Buffer.from('third')))).toEqual(Buffer.from('third'));
  });

  it('refuses bytes after the final block with 1007', async () => {
    const error = await inflateError(inflater(), Buffer.concat([deflateRawSync(Buffer.from('done')), Buffer.from('junk!')]), 1000);
    expect(error.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
  });

  it('refuses data that is not DEFLATE with 1007', async () => {
    const error = await inflateError(inflater(), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), 1000);
    expect(error.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
  });

  it('accepts a message of exactly the limit and refuses one byte more with 1009', async () => {
    const message = words(2000);
    const compressed = deflateRawSync(message);
    expect(await inflate(inflater(), compressed, message.length)).toEqual(message);
    expect((await inflateError(inflater(), compressed, message.length - 1)).closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('stops a 10 KiB message that inflates to 10 MiB at the 64 KiB default limit', async () => {
    const bomb = deflateRawSync(Buffer.alloc(10 << 20), { level: 9 });
    expect(bomb.length).toBeLessThanOrEqual(10 * 1024 + 512);
    const limit = 65535;
    const error = await inflateError(inflater(), bomb, limit);
    expect(error.closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
    const stoppedAt = Number(/stopped at (\d+) bytes/.exec(error.message)![1]);
    expect(stoppedAt).toBeGreaterThan(limit);
    expect(stoppedAt).toBeLessThanOrEqual(limit + INFLATE_CHUNK_BYTES);
  });

  it('stops a 1 MiB message that inflates to 1 GiB having held no more than the limit plus one piece', async () => {
    // DEFLATE cannot shrink data more than about 1032:1, so 1 GiB needs about 1 MiB on the wire.
    const bomb = await zeroBomb(64);
    expect(bomb.length).toBeLessThan(1.1 * (1 << 20));
    const limit = 2 << 20;
    const before = process.memoryUsage();
    const error = await inflateError(inflater(), bomb, limit);
    const after = process.memoryUsage();
    expect(error.closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
    const stoppedAt = Number(/stopped at (\d+) bytes/.exec(error.message)![1]);
    expect(stoppedAt).toBeLessThanOrEqual(limit + INFLATE_CHUNK_BYTES);
    // Coarse guard against the whole gigabyte being produced anyway: far below it, whatever else the process does.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 << 20);
    expect(after.rss - before.rss).toBeLessThan(256 << 20);
  });

  it('frees a context-less stream after a quiet period', async () => {
    const target = inflater(15, true);
    await inflate(target, wireDeflate(words(100)));
    expect(target.holdsStream).toBe(true);
    await expect.poll(() => target.holdsStream, { timeout: 5000, interval: 100 }).toBe(false);
    expect(await inflate(target, wireDeflate(words(20)))).toEqual(words(20));
  });

  it('never calls back once disposed, even with work queued', async () => {
    const target = new MessageInflater(15, false);
    let calls = 0;
    for (let index = 0; index < 30; index++) target.inflate(deflateRawSync(words(1000)), 1 << 20, () => calls++);
    target.dispose();
    // Other users of the process-wide zlib slots still get theirs: nothing leaked.
    const other = inflater();
    expect(await inflate(other, deflateRawSync(words(10)))).toEqual(words(10));
    expect(calls).toBe(0);
  });
});
