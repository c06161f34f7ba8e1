import { once } from 'node:events';
import { createServer, connect, Socket, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GodotError, WriteMode } from '../../src/index.js';
import { moveToReusedReads } from '../../src/peer/reused-reads.js';
import { Cleanup, connectGdwsClient, startGdwsServer } from '../server/support/endpoints.js';
import { waitUntil } from './support/waiting.js';
import { describeDifference, patterned, sameBytes } from './support/wire.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Sizes around the frame-length forms and the reused read buffer's size, some far past it. */
const SIZES = [0, 1, 2, 125, 126, 127, 1000, 4096, 65535, 65536, 65537, 200_000, 262_144, 262_145, 700_000];

function messageFor(index: number): Buffer {
  return patterned(SIZES[index % SIZES.length]!, index);
}

describe('plain TCP sockets reading into one reused buffer', () => {
  it('keeps every message a server has not read yet intact while later reads reuse the buffer (ws client, frames and fragments)', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => {
      s.inboundBufferSize = 64 << 20;
      s.maxQueuedPackets = 4096;
    });
    const client = new WebSocket(url);
    cleanup.add(() => client.terminate());
    await once(client, 'open');
    const count = 3 * SIZES.length;
    for (let i = 0; i < count; i++) {
      const data = messageFor(i);
      if (i % 3 === 2 && data.length > 4) {
        // Fragmented: a message whose size no single frame header announces.
        const cut = data.length >> 1;
        client.send(data.subarray(0, cut), { binary: true, fin: false });
        client.send(data.subarray(cut), { binary: true, fin: true });
      } else {
        client.send(data, { binary: true });
      }
    }
    await waitUntil(() => server.getPeerIds().length === 1, 'the peer');
    const peer = server.getPeer(server.getPeerIds()[0]!)!;
    // Nothing is read until every message has arrived: each was received while later reads reused the buffer.
    await waitUntil(() => peer.getAvailablePacketCount() === count, `${count} queued messages`);
    for (let i = 0; i < count; i++) {
      const received = peer.getPacket();
      const expected = messageFor(i);
      expect(sameBytes(received, expected), `message ${i}: ${describeDifference(received, expected)}`).toBe(true);
    }
    // The large messages moved this connection's reads to the reused buffer (what the test is about).
    const binding = (peer as unknown as { binding: { connection: { reusedInput: unknown } } }).binding;
    expect(binding.connection.reusedInput).not.toBeNull();
  });

  it('keeps a connection of small messages on Node\'s own reads (no second socket for it)', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const client = new WebSocket(url);
    cleanup.add(() => client.terminate());
    await once(client, 'open');
    for (let i = 0; i < 50; i++) client.send(patterned(100, i));
    await waitUntil(() => server.getPeerIds().length === 1 && server.getPeer(server.getPeerIds()[0]!)!.getAvailablePacketCount() === 50, '50 messages');
    const peer = server.getPeer(server.getPeerIds()[0]!)!;
    const binding = (peer as unknown as { binding: { connection: { reusedInput: unknown } } }).binding;
    expect(binding.connection.reusedInput).toBeNull();
    for (let i = 0; i < 50; i++) expect(sameBytes(peer.getPacket(), patterned(100, i))).toBe(true);
  });

  it('moves gdws clients\' reads when their event loop serves several connections, every unread message intact', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => {
      s.outboundBufferSize = 64 << 20;
    });
    const clients = [];
    for (let i = 0; i < 2; i++) {
      const { peer } = await connectGdwsClient(cleanup, url, (c) => {
        c.inboundBufferSize = 64 << 20;
      });
      clients.push(peer);
    }
    await waitUntil(() => server.getPeerIds().length === 2, 'both server peers');
    const serverPeers = server.getPeerIds().map((id) => server.getPeer(id)!);
    const count = 2 * SIZES.length;
    // Both connections get each message in the same turn: a loop serving several connections, as a load-testing client's is.
    for (let i = 0; i < count; i++) for (const serverPeer of serverPeers) expect(serverPeer.send(messageFor(i), WriteMode.BINARY)).toBe(GodotError.OK);
    for (const peer of clients) await waitUntil(() => peer.getAvailablePacketCount() === count, `${count} queued messages`);
    for (const peer of clients) {
      for (let i = 0; i < count; i++) expect(sameBytes(peer.getPacket(), messageFor(i)), `message ${i}`).toBe(true);
      const binding = (peer as unknown as { binding: { connection: { reusedInput: unknown } } }).binding;
      expect(binding.connection.reusedInput).not.toBeNull();
    }
    // The moved socket still writes: a round trip after the move.
    expect(clients[0]!.send(patterned(50_000, 99), WriteMode.BINARY)).toBe(GodotError.OK);
    await waitUntil(() => serverPeers.some((peer) => peer.getAvailablePacketCount() === 1), 'the message to the server');
    const receiver = serverPeers.find((peer) => peer.getAvailablePacketCount() === 1)!;
    expect(sameBytes(receiver.getPacket(), patterned(50_000, 99))).toBe(true);
  });

  it('leaves a gdws client alone on its event loop on Node\'s own reads, its unread messages intact', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => {
      s.outboundBufferSize = 64 << 20;
    });
    const { peer } = await connectGdwsClient(cleanup, url, (c) => {
      c.inboundBufferSize = 64 << 20;
    });
    await waitUntil(() => server.getPeerIds().length === 1, 'the server peer');
    const serverPeer = server.getPeer(server.getPeerIds()[0]!)!;
    const count = 2 * SIZES.length;
    for (let i = 0; i < count; i++) expect(serverPeer.send(messageFor(i), WriteMode.BINARY)).toBe(GodotError.OK);
    await waitUntil(() => peer.getAvailablePacketCount() === count, `${count} queued messages`);
    for (let i = 0; i < count; i++) expect(sameBytes(peer.getPacket(), messageFor(i)), `message ${i}`).toBe(true);
    const binding = (peer as unknown as { binding: { connection: { reusedInput: unknown } } }).binding;
    expect(binding.connection.reusedInput).toBeNull();
  });

  describe('moveToReusedReads', () => {
    async function socketPair(): Promise<{ accepted: Socket; client: Socket }> {
      const listener = createServer();
      listener.listen(0, '127.0.0.1');
      await once(listener, 'listening');
      cleanup.add(() => listener.close());
      const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
      cleanup.add(() => client.destroy());
      const [accepted] = (await once(listener, 'connection')) as [Socket];
      cleanup.add(() => accepted.destroy());
      return { accepted, client };
    }

    it('hands later bytes to the callback, as a method of the new socket, and the old socket closes without ending the connection', async () => {
      const { accepted, client } = await socketPair();
      const buffer = Buffer.alloc(1024);
      const seen: string[] = [];
      let self: unknown = null;
      const moved = moveToReusedReads(accepted, () => buffer, function (this: Socket, bytes: number, into: Buffer) {
        self = this;
        seen.push(into.toString('latin1', 0, bytes));
      });
      expect(moved).not.toBeNull();
      cleanup.add(() => moved!.destroy());
      await once(accepted, 'close');
      moved!.resume();
      client.write('after the move');
      await waitUntil(() => seen.join('') === 'after the move', 'the bytes');
      expect(self).toBe(moved);
      moved!.write('and back');
      const [reply] = (await once(client, 'data')) as [Buffer];
      expect(reply.toString()).toBe('and back');
    });

    it('leaves a socket alone while bytes wait to be read, or when it is ending', async () => {
      const { accepted, client } = await socketPair();
      accepted.pause();
      client.write('unread');
      await waitUntil(() => accepted.readableLength > 0 || (accepted.read(0), false), 'buffered bytes');
      expect(moveToReusedReads(accepted, () => Buffer.alloc(16), () => {})).toBeNull();
      const other = await socketPair();
      other.accepted.end();
      expect(moveToReusedReads(other.accepted, () => Buffer.alloc(16), () => {})).toBeNull();
    });
  });
});
