import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadyState, type WebSocketPeer } from '../../src/index.js';
import { rawWebSocketClient, type RawSocket } from '../peer/support/raw-socket.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { clientFrame, Op, patterned, readClose, sameBytes } from '../peer/support/wire.js';
import { Cleanup, startGdwsServer } from './support/endpoints.js';
import { growth, liveMemory, MiB } from './support/memory.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/**
 * Many masked frames in one buffer, written straight into place: building
 * 65,537 separate Buffers would measure the test's garbage, not the server.
 */
function maskedFrames(count: number, payloadAt: (index: number) => Buffer | null, opcodeAt: (index: number) => number, finAt: (index: number) => boolean): Buffer {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const length = payloadAt(i)?.length ?? 0;
    if (length > 125) throw new RangeError('this writer only makes short frames');
    total += 6 + length;
  }
  const out = Buffer.allocUnsafe(total);
  const keys = randomBytes(4 * count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const payload = payloadAt(i);
    const length = payload?.length ?? 0;
    out[at] = (finAt(i) ? 0x80 : 0) | opcodeAt(i);
    out[at + 1] = 0x80 | length;
    keys.copy(out, at + 2, 4 * i, 4 * i + 4);
    for (let j = 0; j < length; j++) out[at + 6 + j] = payload![j]! ^ keys[4 * i + (j & 3)]!;
    at += 6 + length;
  }
  return out;
}

/** Writes `bytes` in pieces, waiting for each to be taken, so the socket never holds more than one piece. */
async function writeInPieces(raw: RawSocket, bytes: Buffer, pieceSize = 256 * 1024): Promise<void> {
  for (let at = 0; at < bytes.length; at += pieceSize) await raw.write(bytes.subarray(at, at + pieceSize));
}

/** Sends a ping and waits for its pong: everything written before it has then been processed by the server. */
async function roundTrip(raw: RawSocket, label: string): Promise<void> {
  const before = raw.frames.length;
  await raw.write(clientFrame(Op.PING, label));
  await raw.until(() => raw.frames.slice(before).some((f) => f.opcode === Op.PONG && f.payload.toString() === label) || raw.closed, `the pong "${label}"`, 60_000);
  const pong = raw.frames.slice(before).find((f) => f.opcode === Op.PONG);
  if (pong === undefined) {
    const close = raw.frames.find((f) => f.opcode === Op.CLOSE);
    throw new Error(`Connection closed instead of answering the ping${close ? ` (close ${JSON.stringify(readClose(close.payload))})` : ''}`);
  }
}

async function floodTarget(inboundBufferSize: number) {
  const { server, port } = await startGdwsServer(cleanup, (s) => (s.inboundBufferSize = inboundBufferSize));
  const connected = nextEvent<[number]>(server, 'clientConnected');
  const raw = await rawWebSocketClient(port);
  cleanup.add(() => raw.destroy());
  const [id] = await connected;
  const peer: WebSocketPeer = server.getPeer(id)!;
  return { server, peer, raw };
}

describe('tiny-fragment floods', () => {
  it('one 4 MiB message sent as 65,537 fragments arrives intact, in memory proportional to its bytes', async () => {
    // Each frame counts 64 bytes against the limit: 16 MiB (the Autobahn echo server's) holds 4 MiB in 65,537 frames.
    const { peer, raw } = await floodTarget(16 * MiB);
    const message = patterned(4 * MiB, 11);
    const fragmentSize = 64;
    const fragments = message.length / fragmentSize; // 65,536 with data, then one empty final fragment
    const baseline = liveMemory();
    let wire: Buffer | null = maskedFrames(
      fragments,
      (i) => message.subarray(i * fragmentSize, (i + 1) * fragmentSize),
      (i) => (i === 0 ? Op.BINARY : Op.CONTINUATION),
      () => false,
    );
    await writeInPieces(raw, wire);
    wire = null;
    await roundTrip(raw, 'all fragments read');
    // Held now: the 4 MiB so far, and the bookkeeping for 65,536 fragments, which must not cost an object each.
    const during = growth(baseline, liveMemory());
    expect(during.heapUsed, `heap grew by ${during.heapUsed} bytes`).toBeLessThan(2 * MiB);
    expect(during.arrayBuffers, `buffers grew by ${during.arrayBuffers} bytes`).toBeLessThan(4 * MiB + 4 * MiB);
    expect(peer.getAvailablePacketCount()).toBe(0);

    await raw.write(clientFrame(Op.CONTINUATION, Buffer.alloc(0)));
    await waitUntil(() => peer.getAvailablePacketCount() === 1, 'the message');
    const received = peer.getPacket();
    expect(peer.wasStringPacket()).toBe(false);
    expect(received.length).toBe(message.length);
    expect(sameBytes(received, message)).toBe(true);
  });

  it('the same message as text, split inside UTF-8 sequences, is validated and arrives intact', async () => {
    const { peer, raw } = await floodTarget(16 * MiB);
    const text = Buffer.from(`${'€'.repeat((4 * MiB - 1) / 3)}a`);
    expect(text.length).toBe(4 * MiB);
    const fragmentSize = 64;
    const fragments = Math.ceil(text.length / fragmentSize);
    await writeInPieces(
      raw,
      maskedFrames(
        fragments + 1,
        (i) => (i < fragments ? text.subarray(i * fragmentSize, (i + 1) * fragmentSize) : null),
        (i) => (i === 0 ? Op.TEXT : Op.CONTINUATION),
        (i) => i === fragments,
      ),
    );
    await waitUntil(() => peer.getAvailablePacketCount() === 1, 'the text message', 60_000);
    const received = peer.getPacket();
    expect(peer.wasStringPacket()).toBe(true);
    expect(sameBytes(received, text)).toBe(true);
  });

  it('a message over the limit is refused with 1009 even when it arrives in tiny fragments', async () => {
    const { peer, raw } = await floodTarget(64 * 1024);
    const closed = nextEvent<[boolean]>(peer, 'connectionClosed', 60_000);
    const piece = Buffer.alloc(64, 1);
    await raw.write(maskedFrames(2000, () => piece, (i) => (i === 0 ? Op.BINARY : Op.CONTINUATION), () => false)).catch(() => {});
    await closed;
    const close = raw.frames.find((f) => f.opcode === Op.CLOSE);
    expect(close).toBeDefined();
    expect(readClose(close!.payload).code).toBe(1009);
    expect(peer.getAvailablePacketCount()).toBe(0);
  });

  it('at the default limit, empty fragments are refused with 1009 at frame 1,025 and 1-byte ones at frame 1,010', async () => {
    for (const [payload, lastAccepted] of [[null, 1024], [Buffer.from('x'), 1009]] as const) {
      const { peer, raw } = await floodTarget(65535);
      const frames = maskedFrames(lastAccepted, () => payload, (i) => (i === 0 ? Op.BINARY : Op.CONTINUATION), () => false);
      await writeInPieces(raw, frames);
      await roundTrip(raw, `after ${lastAccepted} frames`);
      expect(peer.getReadyState()).toBe(ReadyState.OPEN);
      const closed = nextEvent<[boolean]>(peer, 'connectionClosed');
      await raw.write(maskedFrames(1, () => payload, () => Op.CONTINUATION, () => false));
      await closed;
      const close = raw.frames.find((f) => f.opcode === Op.CLOSE);
      expect(readClose(close!.payload).code).toBe(1009);
      expect(peer.getAvailablePacketCount()).toBe(0);
    }
  });

  it('a million empty fragments under a limit that allows them keep memory bounded and the connection usable', async () => {
    const { peer, raw } = await floodTarget(80 * MiB);
    await raw.write(clientFrame(Op.BINARY, Buffer.alloc(0), { fin: false }));
    await roundTrip(raw, 'started');
    const baseline = liveMemory();
    const batch = maskedFrames(100_000, () => null, () => Op.CONTINUATION, () => false);
    for (let round = 0; round < 10; round++) {
      await writeInPieces(raw, batch);
      await roundTrip(raw, `round ${round}`);
    }
    // A million empty fragments later, the server holds nothing for them.
    const during = growth(baseline, liveMemory());
    expect(during.heapUsed, `heap grew by ${during.heapUsed} bytes`).toBeLessThan(4 * MiB);
    expect(peer.getReadyState()).toBe(ReadyState.OPEN);

    await raw.write(clientFrame(Op.CONTINUATION, 'the end'));
    await waitUntil(() => peer.getAvailablePacketCount() === 1, 'the message');
    expect(peer.getPacket().toString()).toBe('the end');
    await raw.write(clientFrame(Op.TEXT, 'still usable'));
    await waitUntil(() => peer.getAvailablePacketCount() === 1, 'the next message');
    expect(peer.getPacket().toString()).toBe('still usable');
  });
});
