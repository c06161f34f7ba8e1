import { ConnectionStatus } from '../../../src/multiplayer/connection-status.js';
import { WebSocketClient } from '../../../src/godot3/websocket-client.js';
import { GodotError } from '../../../src/godot-error.js';
import { WebSocketServer } from '../../../src/godot3/websocket-server.js';
import { nextEvent, until } from './events.js';
import { MultiplayerFixture } from './multiplayer-fixture.js';

/** A gdws gd_mp_api server on a free loopback port and the clients a test opens against it. */
export class Godot3Fixture extends MultiplayerFixture<WebSocketServer, WebSocketClient> {
  readonly server = new WebSocketServer();

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

  protected listen(): Promise<GodotError> {
    return this.server.listen({ port: 0, bindIp: '127.0.0.1', gdMpApi: true });
  }

  protected async closeClients(): Promise<void> {
    for (const client of this.clients) {
      if (client.getConnectionStatus() !== ConnectionStatus.DISCONNECTED) {
        const closed = nextEvent(client, 'connectionFailed');
        client.disconnectFromHost();
        await closed;
      }
    }
  }

  protected stopServer(): Promise<void> {
    return this.server.stop();
  }
}
