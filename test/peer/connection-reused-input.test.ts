import { describe, expect, it } from 'vitest';
import { Connection, OutboundBuffer, type ConnectionHandler } from '../../src/peer/index.js';
import { FakeTransport } from './support/fake-transport.js';
import { clientFrame, Op, patterned } from './support/wire.js';

function setup() {
  const messages: Buffer[] = [];
  const handler: ConnectionHandler = {
    onMessage: (data) => messages.push(data),
    onPong: () => {},
    onCloseFrame: () => {},
    onProtocolError: (error) => {
      throw error;
    },
  };
  const connection = new Connection(true, new OutboundBuffer(new FakeTransport(), false), handler, 16 << 20);
  const reused = Buffer.alloc(256 * 1024);
  connection.reusedInput = reused.buffer;
  /** Pushes `bytes` as a socket reading into the reused memory would, scribbling over it afterwards. */
  const receiveReused = (bytes: Buffer): boolean => {
    bytes.copy(reused);
    const taken = connection.receive(reused.subarray(0, bytes.length));
    reused.fill(0x5a);
    return taken;
  };
  return { connection, messages, receiveReused, reused };
}

describe('Connection with reused input memory', () => {
  it('copies messages out of chunks in the reused memory, and delivers chunks of their own as views', () => {
    const { connection, messages, receiveReused, reused } = setup();
    receiveReused(Buffer.concat([clientFrame(Op.BINARY, patterned(100, 1)), clientFrame(Op.BINARY, patterned(3000, 2))]));
    const own = clientFrame(Op.BINARY, patterned(50, 3));
    connection.receive(own);
    expect(messages.map((message) => message.equals(patterned(message.length, [100, 3000, 50].indexOf(message.length) + 1)))).toEqual([true, true, true]);
    expect(messages.slice(0, 2).every((message) => message.buffer !== reused.buffer)).toBe(true);
    // A chunk of its own: the message is a view of it (no copy).
    expect(messages[2]!.buffer).toBe(own.buffer);
  });

  it('copies bytes it holds back from a reused chunk (frame allowance spent)', () => {
    const { connection, messages, receiveReused } = setup();
    connection.decoder.frameAllowance = 1;
    const frames = [1, 2, 3].map((seed) => clientFrame(Op.BINARY, patterned(200, seed)));
    expect(receiveReused(Buffer.concat(frames))).toBe(false);
    expect(messages).toHaveLength(1);
    connection.decoder.frameAllowance = Infinity;
    expect(connection.receiveHeld()).toBe(true);
    expect(messages.map((message, index) => message.equals(patterned(200, index + 1)))).toEqual([true, true, true]);
  });

  it('prefers the reused memory after a chunk of large messages (or part of one), and memory of its own after small ones', () => {
    const { connection, receiveReused } = setup();
    const large = clientFrame(Op.BINARY, patterned(200_000, 4));
    receiveReused(large.subarray(0, 100_000));
    expect(connection.prefersReusedInput).toBe(true);
    receiveReused(large.subarray(100_000));
    expect(connection.prefersReusedInput).toBe(true);
    connection.receive(Buffer.concat(Array.from({ length: 20 }, (_, i) => clientFrame(Op.BINARY, patterned(1024, i)))));
    expect(connection.prefersReusedInput).toBe(false);
  });
});
