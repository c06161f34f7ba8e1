import { describe, expect, it } from 'vitest';
import { GodotError, WebSocketMultiplayerPeer, WebSocketServer } from '../../src/index.js';

describe('stopping a server that is still binding', () => {
  it('listen() resolves with an error instead of hanging', async () => {
    const server = new WebSocketServer();
    server.bindIp = '127.0.0.1';
    const listening = server.listen(0);
    await server.stop();
    expect(await listening).toBe(GodotError.ERR_CANT_CREATE);
    expect(server.isListening()).toBe(false);
  });

  it('WebSocketMultiplayerPeer.createServer() resolves when close() comes first', async () => {
    const peer = new WebSocketMultiplayerPeer();
    const creating = peer.createServer(0, '127.0.0.1');
    await peer.close();
    expect(await creating).not.toBe(GodotError.OK);
  });
});
