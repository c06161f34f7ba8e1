import { ConnectionStatus } from '../../../src/client/connection-status.js';
import { WebSocketClient } from '../../../src/client/websocket-client.js';
import { GodotError } from '../../../src/godot-error.js';
import { WebSocketServer } from '../../../src/server/websocket-server.js';
import { nextEvent, until } from './events.js';
import { RawClient } from './raw-client.js';

/** A gdws gd_mp_api server on a free loopback port and the clients a test opens against it. */
export class Godot3Fixture {
  readonly server = new WebSocketServer();
  private readonly clients: WebSocketClient[] = [];
  private readonly raws: RawClient[] = [];

  async start(): Promise<this> {
    const result = await this.server.listen({ port: 0, bindIp: '127.0.0.1', gdMpApi: true });
    if (result !== GodotError.OK) throw new Error(`listen failed: ${this.server.lastError?.message}`);
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.server.getListeningPort()}`;
  }

  /** A gdws gd_mp_api client, once the server has introduced itself and every peer already there. */
  async join(configure: (client: WebSocketClient) => void = () => {}): Promise<WebSocketClient> {
    const client = new WebSocketClient();
    configure(client);
    this.clients.push(client);
    const expectedPeers = this.server.getPeerIds().length + 2; // the server, those already here, and itself
    const succeeded = nextEvent(client, 'connectionSucceeded');
    const result = await client.connectToUrl(this.url, [], true);
    if (result !== GodotError.OK) throw new Error(`connect failed: ${client.lastError?.message}`);
    await succeeded;
    await until(() => client.getAnnouncedPeers().length + 1 >= expectedPeers);
    return client;
  }

  /** A plain WebSocket connection that records the raw messages the server sends. */
  async joinRaw(): Promise<RawClient> {
    const raw = await RawClient.connect(this.url);
    this.raws.push(raw);
    return raw;
  }

  async stop(): Promise<void> {
    for (const client of this.clients) {
      if (client.getConnectionStatus() !== ConnectionStatus.DISCONNECTED) {
        const closed = nextEvent(client, 'connectionFailed');
        client.disconnectFromHost();
        await closed;
      }
    }
    await Promise.all(this.raws.map((raw) => raw.close()));
    await this.server.stop();
  }
}
