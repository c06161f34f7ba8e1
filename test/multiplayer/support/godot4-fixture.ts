import { GodotError } from '../../../src/godot-error.js';
import { WebSocketMultiplayerPeer } from '../../../src/multiplayer/websocket-multiplayer-peer.js';
import { until } from './events.js';
import { RawClient } from './raw-client.js';

/** A gdws Godot 4 multiplayer server on a free loopback port and the clients a test opens against it. */
export class Godot4Fixture {
  readonly server = new WebSocketMultiplayerPeer();
  private readonly clients: WebSocketMultiplayerPeer[] = [];
  private readonly raws: RawClient[] = [];

  async start(configure: (server: WebSocketMultiplayerPeer) => void = () => {}): Promise<this> {
    configure(this.server);
    const result = await this.server.createServer(0, '127.0.0.1');
    if (result !== GodotError.OK) throw new Error(`createServer failed: ${this.server.lastError?.message}`);
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.server.getListeningPort()}`;
  }

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

  async joinRaw(): Promise<RawClient> {
    const raw = await RawClient.connect(this.url);
    this.raws.push(raw);
    return raw;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
    await Promise.all(this.raws.map((raw) => raw.close()));
    await this.server.close();
  }
}
