import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/frame/index.js';
import { Connection, OutboundBuffer, type ConnectionHandler } from '../../src/peer/index.js';
import { FakeTransport } from './support/fake-transport.js';
import { clientFrame, closeBody, frame, Op, readClose, utf8Text } from './support/wire.js';

type Event =
  | { kind: 'message'; data: string; isText: boolean }
  | { kind: 'pong'; payload: string }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'error'; code: number; message: string };

function setup(isServer = true, maxMessageSize = 1024) {
  const transport = new FakeTransport();
  const out = new OutboundBuffer(transport, !isServer);
  const events: Event[] = [];
  const handler: ConnectionHandler = {
    onMessage: (data, isText) => events.push({ kind: 'message', data: data.toString('latin1'), isText }),
    onPong: (payload) => events.push({ kind: 'pong', payload: payload.toString('latin1') }),
    onCloseFrame: (code, reason) => events.push({ kind: 'close', code, reason }),
    onProtocolError: (error: ProtocolError) => events.push({ kind: 'error', code: error.closeCode, message: error.message }),
  };
  const connection = new Connection(isServer, out, handler, maxMessageSize);
  /** Frames the connection has queued, as its peer would read them. */
  const sent = () => {
    out.flush();
    return transport.frames();
  };
  return { transport, out, events, connection, sent };
}

describe('Connection (sans-I/O protocol core)', () => {
  it('turns masked client frames into message events, any chunking', () => {
    const { connection, events } = setup();
    const bytes = Buffer.concat([
      clientFrame(Op.TEXT, 'héllo'),
      clientFrame(Op.BINARY, Buffer.from([0, 1, 2])),
      clientFrame(Op.TEXT, 'frag', { fin: false }),
      clientFrame(Op.CONTINUATION, 'men', { fin: false }),
      clientFrame(Op.CONTINUATION, 'ted'),
      clientFrame(Op.BINARY, Buffer.alloc(0)),
    ]);
    for (let i = 0; i < bytes.length; i++) connection.receive(bytes.subarray(i, i + 1));
    expect(events).toEqual([
      { kind: 'message', data: Buffer.from('héllo').toString('latin1'), isText: true },
      { kind: 'message', data: '\x00\x01\x02', isText: false },
      { kind: 'message', data: 'fragmented', isText: true },
      { kind: 'message', data: '', isText: false },
    ]);
  });

  it('answers a ping with a pong carrying the same payload, even between fragments', () => {
    const { connection, events, sent } = setup();
    connection.receive(
      Buffer.concat([clientFrame(Op.BINARY, 'ab', { fin: false }), clientFrame(Op.PING, 'are you there'), clientFrame(Op.CONTINUATION, 'cd')]),
    );
    expect(events).toEqual([{ kind: 'message', data: 'abcd', isText: false }]);
    const frames = sent();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ fin: true, opcode: Op.PONG, masked: false });
    expect(frames[0]!.payload.toString()).toBe('are you there');
  });

  it('reports pongs and does not answer them', () => {
    const { connection, events, sent } = setup();
    connection.receive(clientFrame(Op.PONG, 'beat'));
    expect(events).toEqual([{ kind: 'pong', payload: 'beat' }]);
    expect(sent()).toEqual([]);
  });

  it('masks every frame on the client side', () => {
    const { connection, sent } = setup(false);
    connection.sendMessage(Buffer.from('hello'), true);
    connection.sendPing(Buffer.from('p'));
    connection.close(1000, '');
    const frames = sent();
    expect(frames.map((f) => [f.opcode, f.masked, f.payload.toString('latin1')])).toEqual([
      [Op.TEXT, true, 'hello'],
      [Op.PING, true, 'p'],
      [Op.CLOSE, true, '\x03\xe8'],
    ]);
  });

  describe('close handshake', () => {
    it('answers a received close with the same code and reason bytes, then ignores later frames', () => {
      const { connection, events, sent } = setup();
      expect(connection.closeSent).toBe(false);
      expect(connection.closeReceived).toBe(false);
      connection.receive(Buffer.concat([clientFrame(Op.CLOSE, closeBody(4001, 'bye ✓')), clientFrame(Op.TEXT, 'too late')]));
      expect(events).toEqual([{ kind: 'close', code: 4001, reason: 'bye ✓' }]);
      expect(connection.closeReceived).toBe(true);
      expect(connection.closeSent).toBe(true);
      const frames = sent();
      expect(frames).toHaveLength(1);
      expect(frames[0]!.opcode).toBe(Op.CLOSE);
      expect(frames[0]!.payload).toEqual(closeBody(4001, 'bye ✓'));
    });

    it('answers an empty close frame with an empty close frame and reports 1005', () => {
      const { connection, events, sent } = setup();
      connection.receive(clientFrame(Op.CLOSE));
      expect(events).toEqual([{ kind: 'close', code: 1005, reason: '' }]);
      const frames = sent();
      expect(frames.map((f) => [f.opcode, f.payload.length])).toEqual([[Op.CLOSE, 0]]);
    });

    it('sends one close frame when we close first and does not answer the reply', () => {
      const { connection, events, sent } = setup();
      connection.close(4000, 'done');
      expect(connection.closeSent).toBe(true);
      expect(connection.closeReceived).toBe(false);
      connection.close(1000, 'again');
      let frames = sent();
      expect(frames).toHaveLength(1);
      expect(readClose(frames[0]!.payload)).toEqual({ code: 4000, reason: 'done' });

      // Data still in flight from the other side is delivered until its close frame arrives.
      connection.receive(Buffer.concat([clientFrame(Op.TEXT, 'last words'), clientFrame(Op.CLOSE, closeBody(4000, 'done'))]));
      expect(events).toEqual([
        { kind: 'message', data: 'last words', isText: true },
        { kind: 'close', code: 4000, reason: 'done' },
      ]);
      expect(connection.closeReceived).toBe(true);
      frames = sent();
      expect(frames).toHaveLength(1);
    });

    it('stops answering pings and sending pings once its close frame is out', () => {
      const { connection, sent } = setup();
      connection.close(1000, '');
      connection.receive(clientFrame(Op.PING, 'x'));
      connection.sendPing(Buffer.from('y'));
      expect(sent().map((f) => f.opcode)).toEqual([Op.CLOSE]);
    });

    it('refuses to send a close code or reason that may not go on the wire', () => {
      const { connection, sent } = setup();
      expect(() => connection.close(1006, '')).toThrow(RangeError);
      expect(() => connection.close(999, '')).toThrow(RangeError);
      expect(() => connection.close(1000, 'x'.repeat(124))).toThrow(RangeError);
      expect(connection.closeSent).toBe(false);
      expect(sent()).toEqual([]);
      connection.close(1000, 'x'.repeat(123));
      expect(readClose(sent()[0]!.payload).reason).toHaveLength(123);
    });
  });

  describe('protocol errors close with the right code', () => {
    const cases: Array<[string, Buffer, number]> = [
      ['an unmasked frame from a client', frame(Op.TEXT, 'hi'), 1002],
      ['a reserved opcode', clientFrame(0x3, 'x'), 1002],
      ['an RSV bit without an extension', clientFrame(Op.TEXT, 'x', { rsv: 4 }), 1002],
      ['a fragmented control frame', clientFrame(Op.PING, 'x', { fin: false }), 1002],
      ['a control frame over 125 bytes', clientFrame(Op.PING, Buffer.alloc(126)), 1002],
      ['a continuation with no message', clientFrame(Op.CONTINUATION, 'x'), 1002],
      ['a new message inside a fragmented one', Buffer.concat([clientFrame(Op.TEXT, 'a', { fin: false }), clientFrame(Op.BINARY, 'b')]), 1002],
      ['text that is not UTF-8', clientFrame(Op.TEXT, Buffer.from([0x66, 0x6f, 0xff, 0xfe])), 1007],
      ['text that ends inside a UTF-8 sequence', clientFrame(Op.TEXT, Buffer.from([0xe2, 0x82])), 1007],
      ['a message over the limit', clientFrame(Op.BINARY, Buffer.alloc(1025)), 1009],
      ['fragments adding up over the limit', Buffer.concat([clientFrame(Op.BINARY, Buffer.alloc(1000), { fin: false }), clientFrame(Op.CONTINUATION, Buffer.alloc(25))]), 1009],
      ['a close frame with a 1-byte payload', clientFrame(Op.CLOSE, Buffer.from([3])), 1002],
      ['a close frame with an invalid code', clientFrame(Op.CLOSE, closeBody(1005)), 1002],
      ['a close frame with a reason that is not UTF-8', clientFrame(Op.CLOSE, Buffer.concat([closeBody(1000), Buffer.from([0xc0])])), 1007],
    ];
    for (const [name, bytes, code] of cases) {
      it(`${name} -> ${code}`, () => {
        const { connection, events, sent } = setup();
        connection.receive(bytes);
        connection.receive(clientFrame(Op.TEXT, 'ignored after the error'));
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ kind: 'error', code });
        const frames = sent();
        expect(frames).toHaveLength(1);
        expect(frames[0]!.opcode).toBe(Op.CLOSE);
        const close = readClose(frames[0]!.payload);
        expect(close.code).toBe(code);
        expect(Buffer.byteLength(close.reason)).toBeLessThanOrEqual(123);
        expect(connection.closeSent).toBe(true);
        expect(connection.decoder.stopped).toBe(true);
      });
    }

    it('a masked frame from a server -> 1002 on the client side', () => {
      const { connection, events, sent } = setup(false);
      connection.receive(clientFrame(Op.TEXT, 'masked'));
      expect(events).toEqual([expect.objectContaining({ kind: 'error', code: 1002 })]);
      expect(readClose(sent()[0]!.payload).code).toBe(1002);
    });

    it('a message over the limit is refused from its header, before its payload arrives', () => {
      const { connection, events } = setup(true, 100);
      const big = clientFrame(Op.BINARY, Buffer.alloc(5000));
      connection.receive(big.subarray(0, 8));
      expect(events).toEqual([expect.objectContaining({ kind: 'error', code: 1009 })]);
      expect((events[0] as { message: string }).message).toMatch(/100-byte limit/);
    });

    it('does not send a second close frame when the error follows our own close', () => {
      const { connection, events, sent } = setup();
      connection.close(1000, '');
      connection.receive(clientFrame(Op.TEXT, Buffer.from([0xff])));
      expect(events).toEqual([expect.objectContaining({ kind: 'error', code: 1007 })]);
      expect(sent().map((f) => readClose(f.payload).code)).toEqual([1000]);
    });

    it('a long UTF-8 text split across many frames is validated across frame boundaries', () => {
      // About 1,000 frames, each counting FRAME_COST_BYTES against the limit.
      const { connection, events } = setup(true, 100_000);
      const text = Buffer.from(utf8Text(3000));
      const parts: Buffer[] = [];
      for (let at = 0; at < text.length; at += 7) {
        parts.push(clientFrame(at === 0 ? Op.TEXT : Op.CONTINUATION, text.subarray(at, at + 7), { fin: at + 7 >= text.length }));
      }
      connection.receive(Buffer.concat(parts));
      expect(events).toEqual([{ kind: 'message', data: text.toString('latin1'), isText: true }]);
    });
  });
});
