// When zlib fails while compressing an outgoing message (it should not, but
// memory can run out), the connection fails with 1011 naming the cause, and
// messages queued behind the failed one are dropped instead of sent out of order.
// zlib's deflate stream is wrapped so a test can make the next one fail.

import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GodotError, ReadyState, WebSocketPeer, WriteMode } from '../../src/index.js';
import { closedPromise, listenTcp, nextPacket } from './support/loopback.js';
import { nextEvent } from './support/waiting.js';

const injection = vi.hoisted(() => ({ failDeflate: false, message: 'zlib ran out of memory (injected)' }));

vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  return {
    ...zlib,
    createDeflateRaw: (options?: import('node:zlib').ZlibOptions) => {
      const stream = zlib.createDeflateRaw(options);
      if (injection.failDeflate) {
        const write = stream.write.bind(stream);
        stream.write = ((chunk: unknown, ...rest: unknown[]) => {
          process.nextTick(() => stream.destroy(new Error(injection.message)));
          return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof stream.write;
      }
      return stream;
    },
  };
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  injection.failDeflate = false;
  injection.message = 'zlib ran out of memory (injected)';
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function deflatePair(): Promise<{ client: WebSocketPeer; server: WebSocketPeer }> {
  const server = new WebSocketPeer();
  server.deflate = { threshold: 0 };
  let accepted!: Promise<GodotError>;
  const listener = await listenTcp((socket: Socket) => (accepted = server.acceptStream(socket)));
  cleanups.push(() => listener.close());
  const client = new WebSocketPeer();
  client.deflate = { threshold: 0 };
  cleanups.push(() => client.close(-1), () => server.close(-1));
  expect(await client.connectToUrl(`ws://127.0.0.1:${listener.port}/`)).toBe(GodotError.OK);
  expect(await accepted).toBe(GodotError.OK);
  expect(client.getExtensions()).toMatch(/permessage-deflate/);
  return { client, server };
}

describe('a failing deflate', () => {
  it('fails the connection with 1011 naming the cause; the messages behind it are never sent', async () => {
    const { client, server } = await deflatePair();
    // A connection makes its zlib stream on its first compressed message: this one's is healthy.
    client.send(Buffer.from('healthy '.repeat(50)), WriteMode.TEXT);
    expect((await nextPacket(server))[0].toString()).toBe('healthy '.repeat(50));
    // Streams made from now on fail: a new connection's first compressed message meets one.
    injection.failDeflate = true;
    const fresh = await deflatePair();
    const closeRequest = nextEvent<[number, string]>(fresh.server, 'closeRequest');
    const clientClosed = closedPromise(fresh.client);
    let received = 0;
    fresh.server.on('dataReceived', () => received++);
    expect(fresh.client.send(Buffer.from('doomed '.repeat(50)), WriteMode.TEXT)).toBe(GodotError.OK);
    // Queued behind the one compressing: dropped with it.
    expect(fresh.client.send(Buffer.from('behind'), WriteMode.BINARY)).toBe(GodotError.OK);
    const [code, reason] = await closeRequest;
    expect(code).toBe(1011);
    expect(reason).toBe('Compressing a message failed: zlib ran out of memory (injected)');
    await clientClosed;
    expect(fresh.client.getReadyState()).toBe(ReadyState.CLOSED);
    expect(fresh.client.getCloseCode()).toBe(1011);
    expect(received).toBe(0);
    // The first pair, made before the failure, still compresses.
    client.send(Buffer.from('still fine'), WriteMode.TEXT);
    expect((await nextPacket(server))[0].toString()).toBe('still fine');
  });

  it('cuts a long failure reason to the 123 bytes a close frame holds, on a character boundary', async () => {
    injection.failDeflate = true;
    // 'é' is 2 bytes in UTF-8: the 30-byte prefix plus 46 of them is 122 bytes, a 47th would pass 123.
    injection.message = 'é'.repeat(100);
    const { client, server } = await deflatePair();
    const closeRequest = nextEvent<[number, string]>(server, 'closeRequest');
    client.send(Buffer.from('doomed '.repeat(50)), WriteMode.TEXT);
    const [code, reason] = await closeRequest;
    expect(code).toBe(1011);
    expect(reason).toBe(`Compressing a message failed: ${'é'.repeat(46)}`);
    expect(Buffer.byteLength(reason)).toBe(122);
  });
});
