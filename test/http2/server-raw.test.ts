// gdws's WebSocket server on HTTP/2 streams (RFC 8441), driven by node:http2's own
// client as an independent peer: the extended CONNECT and every frame are written by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { Opcode } from '../conformance/driver/frame-builder.js';
import { closePayload } from '../conformance/driver/frame-builder.js';
import { Cleanup } from '../server/support/endpoints.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { bodyOf, extendedConnect, NGHTTP2_CANCEL, openSession, responseOf, startH2cGdwsServer, StreamFrames } from './support/h2-endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('gdws server <- node:http2 client, extended CONNECT by hand', () => {
  it('announces SETTINGS_ENABLE_CONNECT_PROTOCOL, answers 200, echoes, and completes the close handshake with END_STREAM both ways', async () => {
    const { server, port, origin } = await startH2cGdwsServer(cleanup);
    const session = await openSession(cleanup, origin);
    expect(session.remoteSettings.enableConnectProtocol).toBe(true);
    const joined = nextEvent<[number, string]>(server, 'clientConnected');
    const stream = extendedConnect(session, port);
    const response = await responseOf(stream);
    expect(response[':status']).toBe(200);
    expect(response['sec-websocket-accept']).toBeUndefined();
    const [id] = await joined;
    const peer = server.getPeer(id)!;
    expect(peer.getRequestedUrl()).toBe(`ws://127.0.0.1:${port}/ws`);
    expect(peer.getConnectedHost()).toBe('127.0.0.1');
    server.on('dataReceived', (from) => {
      const p = server.getPeer(from)!;
      while (p.getAvailablePacketCount() > 0) p.send(p.getPacket().toString('utf8'));
    });
    const frames = new StreamFrames(stream);
    frames.send(Opcode.TEXT, 'héllo over h2');
    await waitUntil(() => frames.frames.length === 1, 'the echo');
    expect(frames.frames[0]).toMatchObject({ opcode: Opcode.TEXT, fin: true, masked: false });
    expect(Buffer.from(frames.frames[0]!.payload).toString('utf8')).toBe('héllo over h2');

    const left = nextEvent<[number, boolean]>(server, 'clientDisconnected');
    frames.send(Opcode.CLOSE, closePayload(1000, 'bye'));
    await waitUntil(() => frames.frames.length === 2 && frames.ended, 'the close reply and END_STREAM');
    expect(frames.frames[1]!.opcode).toBe(Opcode.CLOSE);
    stream.end();
    const [, wasClean] = await left;
    expect(wasClean).toBe(true);
    await waitUntil(() => frames.closed, 'the stream to close');
    expect(stream.rstCode).toBe(0);
    // The session outlives the WebSocket.
    expect(session.destroyed).toBe(false);
  });

  it('carries several WebSockets on one HTTP/2 connection at once', async () => {
    const { server, port, origin } = await startH2cGdwsServer(cleanup);
    const session = await openSession(cleanup, origin);
    const streams = [extendedConnect(session, port), extendedConnect(session, port), extendedConnect(session, port)];
    await Promise.all(streams.map(responseOf));
    await waitUntil(() => server.getPeerIds().length === 3, 'three peers');
    const ports = new Set(server.getPeerIds().map((id) => server.getPeerPort(id)));
    expect(ports.size).toBe(1);
  });

  it('refuses a wrong sec-websocket-version with 400 naming version 13', async () => {
    const { server, port, origin } = await startH2cGdwsServer(cleanup);
    const failed = nextEvent<[string]>(server, 'handshakeFailed');
    const session = await openSession(cleanup, origin);
    const stream = extendedConnect(session, port, { 'sec-websocket-version': '8' });
    const body = bodyOf(stream);
    const response = await responseOf(stream);
    expect(response[':status']).toBe(400);
    expect(response['sec-websocket-version']).toBe('13');
    expect(await body).toContain('unsupported sec-websocket-version "8"');
    expect((await failed)[0]).toContain('sec-websocket-version');
  });

  it('answers 501 to an unknown :protocol, 404 to an unrouted path, and leaves plain requests to the server', async () => {
    const { port, origin, h2 } = await startH2cGdwsServer(cleanup);
    h2.on('stream', (stream, headers) => {
      if (headers[':method'] === 'GET') stream.respond({ ':status': 204 });
      if (headers[':method'] === 'GET') stream.end();
    });
    const session = await openSession(cleanup, origin);
    const other = extendedConnect(session, port, { ':protocol': 'not-websocket' });
    expect((await responseOf(other))[':status']).toBe(501);
    const elsewhere = extendedConnect(session, port, {}, '/nowhere');
    expect((await responseOf(elsewhere))[':status']).toBe(404);
    const get = session.request({ ':path': '/page' });
    expect((await responseOf(get))[':status']).toBe(204);
  });

  it('negotiates subprotocols and permessage-deflate as over HTTP/1.1, and runs the admission check', async () => {
    const seen: string[] = [];
    const { server, port, origin } = await startH2cGdwsServer(cleanup, (s) => {
      s.supportedProtocols = ['chat'];
      s.deflate = true;
      s.admit = (request) => {
        seen.push(`${request.url} ${request.protocol} ${request.headers.get('x-token') ?? ''}`);
        return request.headers.get('x-token') === 'ok' ? { accept: true, data: 'alice' } : { accept: false, status: 401, reason: 'no token' };
      };
    });
    const session = await openSession(cleanup, origin);
    const joined = nextEvent<[number]>(server, 'clientConnected');
    const stream = extendedConnect(session, port, { 'sec-websocket-protocol': 'other, chat', 'sec-websocket-extensions': 'permessage-deflate; client_max_window_bits', 'x-token': 'ok' });
    const response = await responseOf(stream);
    expect(response[':status']).toBe(200);
    expect(response['sec-websocket-protocol']).toBe('chat');
    expect(response['sec-websocket-extensions']).toMatch(/^permessage-deflate/);
    const [id] = await joined;
    expect(server.getPeer(id)!.admission).toBe('alice');

    const refused = extendedConnect(session, port, { 'sec-websocket-protocol': 'chat' });
    const body = bodyOf(refused);
    expect((await responseOf(refused))[':status']).toBe(401);
    expect(await body).toBe('no token\n');
    expect(seen).toEqual([`ws://127.0.0.1:${port}/ws chat ok`, `ws://127.0.0.1:${port}/ws chat `]);
  });

  it('a stream reset (RST_STREAM CANCEL) mid-message closes the peer uncleanly, with no close code, and the session lives on', async () => {
    const { server, port, origin } = await startH2cGdwsServer(cleanup);
    const session = await openSession(cleanup, origin);
    const joined = nextEvent<[number]>(server, 'clientConnected');
    const stream = extendedConnect(session, port);
    await responseOf(stream);
    const [id] = await joined;
    const peer = server.getPeer(id)!;
    const frames = new StreamFrames(stream);
    frames.send(Opcode.TEXT, 'first half', false);
    const left = nextEvent<[number, boolean]>(server, 'clientDisconnected');
    await new Promise((resolve) => setTimeout(resolve, 20));
    stream.close(NGHTTP2_CANCEL);
    const [leftId, wasClean] = await left;
    expect(leftId).toBe(id);
    expect(wasClean).toBe(false);
    expect(peer.getCloseCode()).toBe(-1);
    const again = extendedConnect(session, port);
    expect((await responseOf(again))[':status']).toBe(200);
  });

  it('a protocol error from the client gets a close frame with 1002 and END_STREAM, and a client that never ends its side is reset with CANCEL after the close timeout', async () => {
    const { port, origin } = await startH2cGdwsServer(cleanup);
    const session = await openSession(cleanup, origin);
    const stream = extendedConnect(session, port);
    await responseOf(stream);
    const frames = new StreamFrames(stream);
    // A server must refuse unmasked client frames: write one without a mask.
    stream.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
    await waitUntil(() => frames.frames.length === 1 && frames.ended, 'the close frame and END_STREAM');
    expect(frames.frames[0]!.opcode).toBe(Opcode.CLOSE);
    expect(Buffer.from(frames.frames[0]!.payload).readUInt16BE(0)).toBe(1002);
    // The client never ends its side: the close timeout resets the stream.
    await waitUntil(() => frames.closed, 'the reset');
    expect(stream.rstCode).toBe(NGHTTP2_CANCEL);
    expect(session.destroyed).toBe(false);
  });
});
