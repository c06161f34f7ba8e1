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

/** What both relays offer for logging: Godot 4's peer and Godot 3's gd_mp_api server alike. */
interface MultiplayerRelay {
  on(event: 'peerConnected' | 'peerDisconnected' | 'peerPacket', listener: (id: number) => void): unknown;
  getAvailablePacketCount(): number;
  getPacketPeer(): number;
  getPacket(): Buffer;
}

function logTraffic(relay: MultiplayerRelay, name: string, log: (line: string) => void): void {
  relay.on('peerConnected', (id) => log(`${name}: peer ${id} joined`));
  relay.on('peerDisconnected', (id) => log(`${name}: peer ${id} left`));
  relay.on('peerPacket', () => {
    while (relay.getAvailablePacketCount() > 0) {
      const from = relay.getPacketPeer();
      log(`${name}: ${relay.getPacket().length} bytes from peer ${from} to the server`);
    }
  });
}

export function createRelays(log: (line: string) => void): Relays {
  const godot4 = new WebSocketMultiplayerPeer();
  logTraffic(godot4, 'godot4', log);

  const godot3 = new WebSocketServer();
  godot3.gdMpApi = true;
  logTraffic(godot3, 'godot3', log);

  return {
    godot4,
    godot3,
    async close() {
      await Promise.all([godot4.close(), godot3.stop()]);
    },
  };
}
