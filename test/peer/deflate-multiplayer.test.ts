import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, WebSocketMultiplayerPeer } from '../../src/index.js';
import { textPayload } from './deflate-support/payloads.js';

const peers: WebSocketMultiplayerPeer[] = [];

afterEach(async () => {
  for (const peer of peers.splice(0)) await peer.close();
});

function multiplayerPeer(deflate: boolean): WebSocketMultiplayerPeer {
  const peer = new WebSocketMultiplayerPeer();
  peer.deflate = deflate;
  peer.inboundBufferSize = 1 << 20;
  peer.outboundBufferSize = 1 << 20;
  peers.push(peer);
  return peer;
}

describe('WebSocketMultiplayerPeer with permessage-deflate', () => {
  it('negotiates it when both ends turn it on and carries packets compressed both ways', async () => {
    const server = multiplayerPeer(true);
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const client = multiplayerPeer(true);
    expect(await client.createClient(`ws://127.0.0.1:${server.getListeningPort()}`)).toBe(GodotError.OK);
    expect(client.getPeer(1)!.getExtensions()).toBe('permessage-deflate');
    const clientId = client.getUniqueId();
    expect(server.getPeer(clientId)!.getExtensions()).toBe('permessage-deflate');

    const state = textPayload(200_000, 21);
    client.setTargetPeer(1);
    expect(client.putPacket(state)).toBe(GodotError.OK);
    await expect.poll(() => server.getAvailablePacketCount()).toBe(1);
    expect(server.getPacketPeer()).toBe(clientId);
    expect(server.getPacket().equals(state)).toBe(true);

    server.setTargetPeer(clientId);
    expect(server.putPacket(state)).toBe(GodotError.OK);
    await expect.poll(() => client.getAvailablePacketCount()).toBe(1);
    expect(client.getPacket().equals(state)).toBe(true);
  });

  it('stays off unless both ends turn it on', async () => {
    const server = multiplayerPeer(false);
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const client = multiplayerPeer(true);
    expect(await client.createClient(`ws://127.0.0.1:${server.getListeningPort()}`)).toBe(GodotError.OK);
    expect(client.getPeer(1)!.getExtensions()).toBe('');
  });
});
