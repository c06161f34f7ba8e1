import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketPeer } from '../../src/index.js';
import { DEFAULT_PEER_OPTIONS } from '../../src/peer/peer-options.js';
import { PeerServer, type PeerServerObserver } from '../../src/server/peer-server.js';
import { TopicHub } from '../../src/server/topic-hub.js';
import { waitUntil } from '../peer/support/waiting.js';

const servers: PeerServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function quietObserver(joined: number[]): PeerServerObserver {
  return {
    peerJoined: (id) => joined.push(id),
    peerData: () => {},
    peerCloseRequest: () => {},
    peerLeft: () => {},
    handshakeFailed: () => {},
  };
}

async function listening(server: PeerServer): Promise<number> {
  servers.push(server);
  expect(await server.listen({ port: 0, bindIp: '127.0.0.1', tls: null })).toBe(0);
  return server.getListeningPort();
}

describe('PeerServer ids from an idSource', () => {
  it('releases an id that arrives after its connection has gone, and never joins that connection', async () => {
    const joined: number[] = [];
    const released: number[] = [];
    let grant: ((id: number) => void) | null = null;
    const server = new PeerServer(quietObserver(joined), () => DEFAULT_PEER_OPTIONS);
    server.idSource = {
      reserve: () => new Promise<number>((resolve) => (grant = resolve)),
      release: (id) => released.push(id),
    };
    const port = await listening(server);
    const client = new WebSocketPeer();
    expect(await client.connectToUrl(`ws://127.0.0.1:${port}/`)).toBe(0);
    await waitUntil(() => grant !== null, 'the id request');
    client.close(-1);
    await waitUntil(() => client.getReadyState() === 3, 'the client gone');
    // The server sees the connection end on a later turn.
    await new Promise((resolve) => setTimeout(resolve, 100));
    grant!(77);
    await waitUntil(() => released.length === 1, 'the release');
    expect(released).toEqual([77]);
    expect(joined).toEqual([]);
  });

  it('uses a hub assigned to it', () => {
    const server = new PeerServer(quietObserver([]), () => DEFAULT_PEER_OPTIONS);
    const hub = new TopicHub();
    server.topics = hub;
    expect(server.topics).toBe(hub);
  });
});
