import { WebSocketMultiplayerPeer, WebSocketServer } from '../src/index.js';

/**
 * Multiplayer relays for Godot clients: `/godot4` speaks Godot 4's
 * WebSocketMultiplayerPeer protocol (with SceneMultiplayer's relay), `/godot3`
 * Godot 3's `gd_mp_api`. Clients reach each other through the server; packets
 * addressed to the server itself are read and logged so they never stall the
 * sender (received packets wait for `getPacket`, and a full queue pauses reading).
 */
export interface Relays {
  godot4: WebSocketMultiplayerPeer;
  godot3: WebSocketServer;
  close(): Promise<void>;
}

export function createRelays(log: (line: string) => void): Relays {
  const godot4 = new WebSocketMultiplayerPeer();
  godot4.on('peerConnected', (id) => log(`godot4: peer ${id} joined`));
  godot4.on('peerDisconnected', (id) => log(`godot4: peer ${id} left`));
  godot4.on('peerPacket', () => {
    while (godot4.getAvailablePacketCount() > 0) {
      const from = godot4.getPacketPeer();
      log(`godot4: ${godot4.getPacket().length} bytes from peer ${from} to the server`);
    }
  });

  const godot3 = new WebSocketServer();
  godot3.gdMpApi = true;
  godot3.on('peerConnected', (id) => log(`godot3: peer ${id} joined`));
  godot3.on('peerDisconnected', (id) => log(`godot3: peer ${id} left`));
  godot3.on('peerPacket', () => {
    while (godot3.getAvailablePacketCount() > 0) {
      const from = godot3.getPacketPeer();
      log(`godot3: ${godot3.getPacket().length} bytes from peer ${from} to the server`);
    }
  });

  return {
    godot4,
    godot3,
    async close() {
      await Promise.all([godot4.close(), godot3.stop()]);
    },
  };
}
