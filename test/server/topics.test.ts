import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GodotError, PreparedDelivery, PreparedMessages, SLOW_RECEIVER_REASON, TopicHub, WebSocketPeer, type TopicBackplane } from '../../src/index.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { Cleanup, connectGdwsClient, startGdwsServer } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A server and `count` gdws clients, with the server-side peer of each. */
async function serverWithClients(count: number, configure: Parameters<typeof startGdwsServer>[1] = () => {}) {
  const started = await startGdwsServer(cleanup, configure);
  const clients: WebSocketPeer[] = [];
  const serverPeers: WebSocketPeer[] = [];
  for (let i = 0; i < count; i++) {
    const joined = nextEvent<[number]>(started.server, 'clientConnected');
    const { peer } = await connectGdwsClient(cleanup, started.url);
    const [id] = await joined;
    clients.push(peer);
    serverPeers.push(started.server.getPeer(id)!);
  }
  return { ...started, clients, serverPeers };
}

function drain(peer: WebSocketPeer): Array<{ data: string; text: boolean }> {
  const out: Array<{ data: string; text: boolean }> = [];
  while (peer.getAvailablePacketCount() > 0) {
    const data = peer.getPacket();
    out.push({ data: data.toString('hex'), text: peer.wasStringPacket() });
  }
  return out;
}

describe('topics on a server (TopicHub)', () => {
  it('publish reaches every subscriber of the topic once, byte for byte, text and binary, and no one else', async () => {
    const { server, clients, serverPeers } = await serverWithClients(3);
    expect(serverPeers[0]!.subscribe('news')).toBe(true);
    expect(serverPeers[0]!.subscribe('news')).toBe(false);
    server.topics.subscribe(serverPeers[1]!, 'news');
    server.topics.subscribe(serverPeers[2]!, 'sport');
    expect(server.topics.subscriberCount('news')).toBe(2);
    expect(server.topics.topics().sort()).toEqual(['news', 'sport']);
    expect(server.topics.topicsOf(serverPeers[0]!)).toEqual(['news']);

    const binary = Buffer.from([0, 1, 2, 255]);
    expect(server.publish('news', binary)).toBe(2);
    expect(server.publish('news', 'héllo')).toBe(2);
    expect(server.publish('nobody', 'x')).toBe(0);
    await waitUntil(() => clients[1]!.getAvailablePacketCount() === 2 && clients[0]!.getAvailablePacketCount() === 2, 'both subscribers got both');
    const expected = [
      { data: binary.toString('hex'), text: false },
      { data: Buffer.from('héllo').toString('hex'), text: true },
    ];
    expect(drain(clients[0]!)).toEqual(expected);
    expect(drain(clients[1]!)).toEqual(expected);
    server.publish('sport', 'goal');
    await waitUntil(() => clients[2]!.getAvailablePacketCount() === 1, 'the sport subscriber got its message');
    expect(drain(clients[2]!)).toEqual([{ data: Buffer.from('goal').toString('hex'), text: true }]);
    expect(clients[0]!.getAvailablePacketCount()).toBe(0);
  });

  it('peer.publish reaches the others but not the publisher; unsubscribe and closing leave the topic', async () => {
    const { server, clients, serverPeers } = await serverWithClients(3);
    for (const peer of serverPeers) peer.subscribe('room');
    expect(serverPeers[0]!.publish('room', 'from zero')).toBe(2);
    await waitUntil(() => clients[1]!.getAvailablePacketCount() === 1 && clients[2]!.getAvailablePacketCount() === 1, 'the others got it');
    expect(clients[0]!.getAvailablePacketCount()).toBe(0);

    expect(serverPeers[1]!.unsubscribe('room')).toBe(true);
    expect(serverPeers[1]!.unsubscribe('room')).toBe(false);
    expect(server.topics.isSubscribed(serverPeers[1]!, 'room')).toBe(false);
    const closed = nextEvent(server, 'clientDisconnected');
    clients[2]!.close();
    await closed;
    expect(server.topics.subscriberCount('room')).toBe(1);
    expect(server.publish('room', 'left alone')).toBe(1);
  });

  it('a subscriber the message does not fit is closed with 1013 and reported, the others still get everything', async () => {
    const { server, clients, serverPeers } = await serverWithClients(2);
    serverPeers[0]!.outboundBufferSize = 4096;
    for (const peer of serverPeers) peer.subscribe('flood');
    const dropped: string[] = [];
    server.topics.on('receiverDropped', (peer, topic) => dropped.push(`${peer.tag}:${topic}`));
    const closed = nextEvent<[boolean]>(clients[0]!, 'connectionClosed');
    const message = Buffer.alloc(1024, 7);
    // In one turn nothing is written yet: the fifth KiB passes the first subscriber's 4 KiB.
    const reached = Array.from({ length: 8 }, () => server.publish('flood', message));
    expect(reached).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
    expect(dropped).toEqual([`${serverPeers[0]!.tag}:flood`]);
    expect(server.topics.subscriberCount('flood')).toBe(1);
    await closed;
    expect(clients[0]!.getCloseCode()).toBe(1013);
    expect(clients[0]!.getCloseReason()).toBe(SLOW_RECEIVER_REASON);
    expect(drain(clients[0]!)).toHaveLength(4);
    await waitUntil(() => clients[1]!.getAvailablePacketCount() === 8, 'the other subscriber got all 8');
  });

  it('a backplane hears of first and last subscribers and of local publishes only; deliverRemote reaches local subscribers', async () => {
    const { server, clients, serverPeers } = await serverWithClients(2);
    const calls: string[] = [];
    const backplane: TopicBackplane = {
      topicSubscribed: (topic) => calls.push(`+${topic}`),
      topicUnsubscribed: (topic) => calls.push(`-${topic}`),
      published: (topic, data, isText) => calls.push(`pub ${topic} ${Buffer.from(data).toString()} ${isText}`),
    };
    serverPeers[0]!.subscribe('a');
    server.topics.attachBackplane(backplane);
    expect(calls).toEqual(['+a']);
    serverPeers[1]!.subscribe('a');
    serverPeers[1]!.subscribe('b');
    const caller = Buffer.from('no one here');
    server.publish('c', caller);
    caller.fill(0);
    server.publish('a', Buffer.from('bin'), false);
    expect(server.topics.deliverRemote('a', Buffer.from('remote'), true)).toBe(2);
    expect(server.topics.deliverRemote('zzz', Buffer.from('remote'), true)).toBe(0);
    serverPeers[1]!.unsubscribe('b');
    serverPeers[0]!.unsubscribe('a');
    serverPeers[1]!.unsubscribe('a');
    expect(calls).toEqual(['+a', '+b', 'pub c no one here false', 'pub a bin false', '-b', '-a']);
    await waitUntil(() => clients[0]!.getAvailablePacketCount() === 2, 'local publish and remote delivery');
    expect(drain(clients[0]!).map((m) => [Buffer.from(m.data, 'hex').toString(), m.text])).toEqual([
      ['bin', false],
      ['remote', true],
    ]);
    server.topics.attachBackplane(null);
    server.publish('a', 'quiet');
    expect(calls).toHaveLength(6);
  });

  it('refuses data that is not bytes or a string, text that is not UTF-8, and a topic that is not a string', async () => {
    const hub = new TopicHub();
    const peer = new WebSocketPeer();
    expect(() => hub.publish('t', 42 as unknown as string)).toThrow(TypeError);
    expect(() => hub.publish('t', Buffer.from([0xff]), true)).toThrow(/UTF-8/);
    expect(() => hub.deliverRemote('t', Buffer.from([0xff]), true)).not.toThrow();
    hub.subscribe(peer, 't');
    expect(() => hub.deliverRemote('t', Buffer.from([0xff]), true)).toThrow(/UTF-8/);
    expect(() => hub.subscribe(peer, 7 as unknown as string)).toThrow(TypeError);
    // A peer that never connected takes nothing and stays subscribed until it closes (it is not CLOSED... it never opened).
    expect(hub.publish('t', 'x')).toBe(0);
    expect(() => new WebSocketPeer().subscribe('t')).toThrow(/no topic hub/);
    expect(() => new WebSocketPeer().publish('t', 'x')).toThrow(/no topic hub/);
    expect(new WebSocketPeer().unsubscribe('t')).toBe(false);
  });

  it('a subscriber with permessage-deflate gets the published message compressed by its own connection', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => {
      s.deflate = { threshold: 0 };
    });
    const joined = nextEvent<[number]>(server, 'clientConnected');
    const ws = new WebSocket(url, { perMessageDeflate: true });
    cleanup.add(() => ws.terminate());
    const received: Array<[string, boolean]> = [];
    ws.on('message', (data, isBinary) => received.push([String(data), isBinary]));
    await nextEvent(ws, 'open');
    const [id] = await joined;
    expect(server.getPeer(id)!.getExtensions()).toContain('permessage-deflate');
    server.getPeer(id)!.subscribe('z');
    const text = 'compress me '.repeat(200);
    expect(server.publish('z', text)).toBe(1);
    expect(server.publish('z', Buffer.from(text), false)).toBe(1);
    await waitUntil(() => received.length === 2, 'ws got both');
    expect(received).toEqual([
      [text, false],
      [text, true],
    ]);
  });

  it('PreparedMessages: several messages in one run of frames, sent to a plain client as separate messages', async () => {
    const { clients, serverPeers } = await serverWithClients(1);
    const big = Buffer.alloc(20_000, 3);
    const prepared = PreparedMessages.ofAll([Buffer.from('a'), Buffer.alloc(300, 1), big], false);
    expect(prepared.messageCount).toBe(3);
    expect(prepared.payloadBytes).toBe(1 + 300 + 20_000);
    serverPeers[0]!.outboundBufferSize = 1 << 20;
    expect(serverPeers[0]!.sendPrepared(prepared)).toBe(PreparedDelivery.SENT);
    await waitUntil(() => clients[0]!.getAvailablePacketCount() === 3, 'three messages');
    expect(clients[0]!.getPacket().toString()).toBe('a');
    expect(clients[0]!.getPacket()).toEqual(Buffer.alloc(300, 1));
    expect(clients[0]!.getPacket()).toEqual(big);
    serverPeers[0]!.maxQueuedPackets = 2;
    expect(serverPeers[0]!.sendPrepared(prepared)).toBe(PreparedDelivery.OVER_LIMIT);
    serverPeers[0]!.close();
    expect(serverPeers[0]!.sendPrepared(prepared)).toBe(PreparedDelivery.NOT_OPEN);
    expect(clients[0]!.send('late')).not.toBe(GodotError.ERR_INVALID_PARAMETER);
  });
});
