import { GodotError } from '../../../src/godot-error.js';
import { RawClient } from './raw-client.js';

/** What a fixture needs of its server, Godot 3 or Godot 4 style. */
export interface FixtureServer {
  getListeningPort(): number;
  readonly lastError: { message: string } | null;
}

/**
 * A gdws multiplayer server on a free loopback port and the connections a test
 * opens against it, all closed again by `stop`. Subclasses say how their server
 * starts listening and stops, and how their clients leave.
 */
export abstract class MultiplayerFixture<Server extends FixtureServer, Client> {
  abstract readonly server: Server;
  protected readonly clients: Client[] = [];
  private readonly raws: RawClient[] = [];

  async start(configure: (server: Server) => void = () => {}): Promise<this> {
    configure(this.server);
    const result = await this.listen();
    if (result !== GodotError.OK) throw new Error(`the fixture's server could not listen: ${this.server.lastError?.message}`);
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.server.getListeningPort()}`;
  }

  /** A plain WebSocket connection that records the raw messages the server sends. */
  async joinRaw(): Promise<RawClient> {
    const raw = await RawClient.connect(this.url);
    this.raws.push(raw);
    return raw;
  }

  async stop(): Promise<void> {
    await this.closeClients();
    await Promise.all(this.raws.map((raw) => raw.close()));
    await this.stopServer();
  }

  /** Listens on 127.0.0.1 and a free port. */
  protected abstract listen(): Promise<GodotError>;
  protected abstract closeClients(): Promise<void>;
  protected abstract stopServer(): Promise<void>;
}
