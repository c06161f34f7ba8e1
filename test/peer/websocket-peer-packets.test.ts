import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PEER_OPTIONS, GodotError, ReadyState, WebSocketPeer, WriteMode } from '../../src/index.js';
import { closedPromise, drain, nextPacket, openPeerPair, type PeerPair } from './support/loopback.js';
import { nextEvent, waitUntil } from './support/waiting.js';
import { patterned, sameBytes } from './support/wire.js';

let pair: PeerPair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

describe('WebSocketPeer defaults', () => {
  it('has Godot 4\'s defaults', () => {
    const peer = new WebSocketPeer();
    expect(peer.inboundBufferSize).toBe(65535);
    expect(peer.outboundBufferSize).toBe(65535);
    expect(peer.maxQueuedPackets).toBe(4096);
    expect(peer.heartbeatInterval).toBe(0);
    expect(peer.handshakeHeaders).toEqual([]);
    expect(peer.supportedProtocols).toEqual([]);
    expect(peer.getWriteMode()).toBe(WriteMode.BINARY);
    expect(WriteMode).toEqual({ TEXT: 0, BINARY: 1 });
    expect(ReadyState).toEqual({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
    expect(peer.getReadyState()).toBe(ReadyState.CLOSED);
    expect(peer.isConnectedToHost()).toBe(false);
    expect(peer.getCloseCode()).toBe(-1);
    expect(peer.getCloseReason()).toBe('');
    expect(peer.getAvailablePacketCount()).toBe(0);
    expect(peer.getCurrentOutboundBufferedAmount()).toBe(0);
    expect(peer.getSelectedProtocol()).toBe('');
    expect(peer.getRequestedUrl()).toBe('');
  });

  it('keeps each peer\'s settings to itself', () => {
    const changed = new WebSocketPeer();
    changed.inboundBufferSize = 10;
    changed.supportedProtocols = ['a'];
    const other = new WebSocketPeer();
    expect(other.inboundBufferSize).toBe(65535);
    expect(other.supportedProtocols).toEqual([]);
    expect(DEFAULT_PEER_OPTIONS.inboundBufferSize).toBe(65535);
    // The getter hands out a copy.
    changed.supportedProtocols.push('b');
    expect(changed.supportedProtocols).toEqual(['a']);
  });

  it('refuses nonsense settings with a RangeError naming the property', () => {
    const peer = new WebSocketPeer();
    expect(() => (peer.inboundBufferSize = 0)).toThrow(/inboundBufferSize/);
    expect(() => (peer.outboundBufferSize = 1.5)).toThrow(/outboundBufferSize/);
    expect(() => (peer.maxQueuedPackets = -1)).toThrow(/maxQueuedPackets/);
    expect(() => (peer.heartbeatInterval = -1)).toThrow(/heartbeatInterval/);
    expect(() => peer.setWriteMode(2 as WriteMode)).toThrow(RangeError);
  });

  it('reports ERR_UNAVAILABLE from getPacket with nothing queued, and FAILED for a send while closed', () => {
    const peer = new WebSocketPeer();
    expect(peer.getPacket()).toHaveLength(0);
    expect(peer.getPacketError()).toBe(GodotError.ERR_UNAVAILABLE);
    expect(peer.putPacket(Buffer.from('x'))).toBe(GodotError.FAILED);
    expect(peer.lastError?.message).toMatch(/not open/);
    expect(peer.close()).toBe(GodotError.OK);
  });
});

describe('WebSocketPeer packets over loopback', () => {
  it('putPacket sends in the write mode; getPacket, wasStringPacket and getAvailablePacketCount read them', async () => {
    pair = await openPeerPair();
    const { client, server } = pair;
    expect(client.getReadyState()).toBe(ReadyState.OPEN);
    expect(client.isConnectedToHost()).toBe(true);
    expect(client.putPacket(Buffer.from('binary by default'))).toBe(GodotError.OK);
    client.setWriteMode(WriteMode.TEXT);
    expect(client.getWriteMode()).toBe(WriteMode.TEXT);
    expect(client.putPacket(Buffer.from('now text ✓'))).toBe(GodotError.OK);
    client.setWriteMode(WriteMode.BINARY);
    expect(client.putPacket(new Uint8Array([1, 2, 3]))).toBe(GodotError.OK);
    await waitUntil(() => server.getAvailablePacketCount() === 3, 'three packets');
    expect(server.getPacket().toString()).toBe('binary by default');
    expect(server.getPacketError()).toBe(GodotError.OK);
    expect(server.wasStringPacket()).toBe(false);
    expect(server.getAvailablePacketCount()).toBe(2);
    expect(server.getPacket().toString()).toBe('now text ✓');
    expect(server.wasStringPacket()).toBe(true);
    expect([...server.getPacket()]).toEqual([1, 2, 3]);
    expect(server.wasStringPacket()).toBe(false);
    expect(server.getAvailablePacketCount()).toBe(0);
  });

  it('send and sendText choose the opcode per message, whatever the write mode', async () => {
    pair = await openPeerPair();
    const { client, server } = pair;
    client.setWriteMode(WriteMode.TEXT);
    expect(server.send(Buffer.from([0xff, 0x00]))).toBe(GodotError.OK);
    // Without a mode a string goes out as text (as in every JavaScript WebSocket API); a mode given wins.
    expect(server.send('a string as text')).toBe(GodotError.OK);
    expect(server.send('a string as binary', WriteMode.BINARY)).toBe(GodotError.OK);
    expect(server.send(Buffer.from('bytes as text'), WriteMode.TEXT)).toBe(GodotError.OK);
    expect(server.sendText('déjà vu')).toBe(GodotError.OK);
    const received = [];
    for (let i = 0; i < 5; i++) received.push(await nextPacket(client));
    expect(received.map(([data, text]) => [data.toString('latin1'), text])).toEqual([
      ['\xff\x00', false],
      ['a string as text', true],
      ['a string as binary', false],
      ['bytes as text', true],
      [Buffer.from('déjà vu').toString('latin1'), true],
    ]);
  });

  it('text mode refuses invalid UTF-8 with ERR_INVALID_PARAMETER and a message, and sends nothing', async () => {
    pair = await openPeerPair();
    const { client, server } = pair;
    client.setWriteMode(WriteMode.TEXT);
    expect(client.putPacket(Buffer.from([0x66, 0x6f, 0xff, 0xfe]))).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.lastError?.code).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.lastError?.message).toMatch(/UTF-8/);
    expect(client.send(Buffer.from([0xc3]), WriteMode.TEXT)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.send(Buffer.from('x'), 7 as WriteMode)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.send(42 as unknown as Buffer)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.getCurrentOutboundBufferedAmount()).toBe(0);
    expect(client.putPacket(Buffer.from('valid'))).toBe(GodotError.OK);
    const [data, text] = await nextPacket(server);
    expect([data.toString(), text]).toEqual(['valid', true]);
    expect(client.getReadyState()).toBe(ReadyState.OPEN);
  });

  it('getCurrentOutboundBufferedAmount counts payload bytes right after a send and falls to 0 once flushed', async () => {
    pair = await openPeerPair();
    const { client, server } = pair;
    expect(client.send(Buffer.alloc(1000))).toBe(GodotError.OK);
    expect(client.sendText('12345')).toBe(GodotError.OK);
    expect(client.getCurrentOutboundBufferedAmount()).toBe(1005);
    await waitUntil(() => client.getCurrentOutboundBufferedAmount() === 0, 'the outbound buffer to empty');
    await waitUntil(() => server.getAvailablePacketCount() === 2, 'both messages');
  });

  it('a message over inboundBufferSize closes the connection with 1009 and a reason saying so', async () => {
    pair = await openPeerPair({}, { inboundBufferSize: 1000 });
    const { client, server } = pair;
    const serverClosed = closedPromise(server);
    const clientClosed = closedPromise(client);
    const closeRequest = nextEvent<[number, string]>(client, 'closeRequest');
    expect(client.send(Buffer.alloc(1000, 1))).toBe(GodotError.OK);
    expect(client.send(Buffer.alloc(1001, 2))).toBe(GodotError.OK);
    const [code, reason] = await closeRequest;
    expect(code).toBe(1009);
    expect(reason).toMatch(/1000-byte limit/);
    expect(client.getCloseCode()).toBe(1009);
    expect(client.getCloseReason()).toBe(reason);
    await Promise.all([serverClosed, clientClosed]);
    expect(server.getCloseCode()).toBe(1009);
    // The message within the limit arrived; the one over it did not.
    const packets = drain(server);
    expect(packets.map(([data]) => data.length)).toEqual([1000]);
  });

  it('a full outbound buffer makes putPacket return ERR_OUT_OF_MEMORY, and the other side gets only whole messages', async () => {
    pair = await openPeerPair({ outboundBufferSize: 10_000 }, { inboundBufferSize: 1 << 20 });
    const { client, server } = pair;
    const accepted: Buffer[] = [];
    let refused = 0;
    for (let i = 0; i < 20; i++) {
      const message = patterned(3000, i);
      const result = client.putPacket(message);
      if (result === GodotError.OK) accepted.push(message);
      else {
        expect(result).toBe(GodotError.ERR_OUT_OF_MEMORY);
        refused++;
      }
    }
    expect(accepted).toHaveLength(3);
    expect(refused).toBe(17);
    expect(client.lastError?.code).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(client.lastError?.message).toMatch(/outboundBufferSize/);
    expect(client.getCurrentOutboundBufferedAmount()).toBe(9000);
    // Exactly at the limit is still accepted.
    expect(client.putPacket(Buffer.alloc(1000, 9))).toBe(GodotError.OK);
    accepted.push(Buffer.alloc(1000, 9));
    expect(client.putPacket(Buffer.alloc(1))).toBe(GodotError.ERR_OUT_OF_MEMORY);

    await waitUntil(() => client.getCurrentOutboundBufferedAmount() === 0, 'the outbound buffer to empty');
    expect(client.putPacket(Buffer.from('after'))).toBe(GodotError.OK);
    accepted.push(Buffer.from('after'));
    await waitUntil(() => server.getAvailablePacketCount() === accepted.length, `${accepted.length} packets`);
    const received = drain(server).map(([data]) => data);
    expect(received.length).toBe(accepted.length);
    received.forEach((data, i) => expect(sameBytes(data, accepted[i]!), `message ${i}`).toBe(true));
    expect(client.getReadyState()).toBe(ReadyState.OPEN);
  });

  it('maxQueuedPackets bounds the outbound message count as well', async () => {
    pair = await openPeerPair({ maxQueuedPackets: 3 });
    const { client, server } = pair;
    for (let i = 0; i < 3; i++) expect(client.sendText(`m${i}`)).toBe(GodotError.OK);
    expect(client.sendText('m3')).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(client.lastError?.message).toMatch(/maxQueuedPackets/);
    await waitUntil(() => server.getAvailablePacketCount() === 3, 'three packets');
    expect(drain(server).map(([data]) => data.toString())).toEqual(['m0', 'm1', 'm2']);
  });

  it('reads messages with for await until the connection closes', async () => {
    pair = await openPeerPair();
    const { client, server } = pair;
    server.sendText('one');
    server.send(Buffer.from([2]));
    server.sendText('three');
    const iterated = (async () => {
      const seen: Array<[string, boolean]> = [];
      for await (const { data, isText } of client) seen.push([data.toString('latin1'), isText]);
      return seen;
    })();
    await waitUntil(() => server.getCurrentOutboundBufferedAmount() === 0, 'the messages to leave');
    setTimeout(() => server.close(1000, 'that is all'), 20);
    expect(await iterated).toEqual([
      ['one', true],
      ['\x02', false],
      ['three', true],
    ]);
    expect(client.getReadyState()).toBe(ReadyState.CLOSED);
  });

  it('queues large messages in both directions with the limits raised', async () => {
    const limits = { inboundBufferSize: 2 << 20, outboundBufferSize: 4 << 20 };
    pair = await openPeerPair(limits, limits);
    const { client, server } = pair;
    const big = patterned(1 << 20, 3);
    expect(client.send(big)).toBe(GodotError.OK);
    expect(server.send(big)).toBe(GodotError.OK);
    const [toServer] = await nextPacket(server);
    const [toClient] = await nextPacket(client);
    expect(sameBytes(toServer, big)).toBe(true);
    expect(sameBytes(toClient, big)).toBe(true);
  });
});
