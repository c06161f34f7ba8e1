import { GodotError } from '../../../src/godot-error.js';
import { WebSocketMultiplayerPeer } from '../../../src/multiplayer/websocket-multiplayer-peer.js';
import { until } from './events.js';
import { MultiplayerFixture } from './multiplayer-fixture.js';

/** A gdws Godot 4 multiplayer server on a free loopback port and the clients a test opens against it. */
export class Godot4Fixture extends MultiplayerFixture<WebSocketMultiplayerPeer, WebSocketMultiplayerPeer> {
  readonly server = new WebSocketMultiplayerPeer();

  /** A gdws client, once it has its id and (with serverRelay) has heard of every client already there. */
  async join(configure: (client: WebSocketMultiplayerPeer) => void = () => {}): Promise<WebSocketMultiplayerPeer> {
    const client = new WebSocketMultiplayerPeer();
    configure(client);
    this.clients.push(client);
    const others = this.server.getPeerIds().length;
    const result = await client.createClient(this.url);
    if (result !== GodotError.OK) throw new Error(`createClient failed: ${client.lastError?.message}`);
    if (client.serverRelay && this.server.serverRelay) await until(() => client.getAnnouncedPeers().length >= others);
    return client;
  }

  protected listen(): Promise<GodotError> {
    return this.server.createServer(0, '127.0.0.1');
  }

  protected async closeClients(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }

  protected stopServer(): Promise<void> {
    return this.server.close();
  }
}
