import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, WebSocketPeer, WriteMode } from '../../src/index.js';
import { nextEvent, waitUntil } from './support/waiting.js';
import { Cleanup, nextWsConnection, startGdwsServer, startWsServer } from '../server/support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function connectedPair() {
  const { server, url } = await startGdwsServer(cleanup);
  const joined = nextEvent<[number]>(server, 'clientConnected');
  const client = new WebSocketPeer();
  cleanup.add(() => client.close(-1));
  expect(await client.connectToUrl(url)).toBe(GodotError.OK);
  const [id] = await joined;
  return { client, remote: server.getPeer(id)! };
}

describe('what a ws user expects', () => {
  it('ping(data) reaches the other side as a ping event and comes back as a pong event, with the payload', async () => {
    const { client, remote } = await connectedPair();
    const pinged = nextEvent<[Buffer]>(remote, 'ping');
    const ponged = nextEvent<[Buffer]>(client, 'pong');
    expect(client.ping('are you there')).toBe(GodotError.OK);
    expect((await pinged)[0].toString()).toBe('are you there');
    expect((await ponged)[0].toString()).toBe('are you there');
    expect(client.ping(Buffer.alloc(126))).toBe(GodotError.ERR_INVALID_PARAMETER);
  });

  it('answers a ws client ping, and ws answers ours', async () => {
    const { wss, url } = await startWsServer(cleanup);
    const accepted = nextWsConnection(wss);
    const peer = new WebSocketPeer();
    cleanup.add(() => peer.close(-1));
    expect(await peer.connectToUrl(url)).toBe(GodotError.OK);
    const socket = await accepted;
    const pinged = nextEvent<[Buffer]>(peer, 'ping');
    const wsPong = new Promise<Buffer>((resolve) => socket.once('pong', resolve));
    socket.ping(Buffer.from('from ws'));
    expect((await pinged)[0].toString()).toBe('from ws');
    expect((await wsPong).toString()).toBe('from ws');
    const ponged = nextEvent<[Buffer]>(peer, 'pong');
    peer.ping('from gdws');
    expect((await ponged)[0].toString()).toBe('from gdws');
  });

  it('send(string) goes out as text, send(bytes) as binary, and an explicit mode wins', async () => {
    const { client, remote } = await connectedPair();
    client.send('hello');
    client.send(Buffer.from('bytes'));
    client.send('as binary', WriteMode.BINARY);
    await waitUntil(() => remote.getAvailablePacketCount() === 3, 'three messages');
    const received: Array<[string, boolean]> = [];
    for (let i = 0; i < 3; i++) received.push([remote.getPacket().toString(), remote.wasStringPacket()]);
    expect(received).toEqual([
      ['hello', true],
      ['bytes', false],
      ['as binary', false],
    ]);
  });

  it('flushed() resolves once what was sent has been handed to the kernel', async () => {
    const { client } = await connectedPair();
    expect(client.send(Buffer.alloc(60_000, 1))).toBe(GodotError.OK);
    expect(client.getCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
    await client.flushed();
    expect(client.getCurrentOutboundBufferedAmount()).toBe(0);
    client.close(-1);
    await client.flushed();
  });
});
