import type { KeyLayout } from './keys.js';
import { CONNECTION_CLOSED_MESSAGE, type RedisConnection } from './redis-connection.js';

/** What the backplane counts; `lost` is messages this process could not hand to Redis. */
export interface BackplaneStats {
  /** Messages handed to Redis (topic publications, room joins, leaves and packets). */
  published: number;
  /** Messages from other processes handed on to local topics or rooms. */
  received: number;
  /** Messages not handed to Redis because it was unreachable or refused them, or whose confirmation a dropped connection took with it. */
  lost: number;
  /** Errors reported by the Redis client or by a command. */
  errors: number;
}

/** What the topic, room and liveness parts share: the connections, names, counters and error path. */
export class BackplaneContext {
  readonly stats: BackplaneStats = { published: 0, received: 0, lost: 0, errors: 0 };
  private closeBegun = false;

  constructor(
    readonly processId: string,
    readonly keys: KeyLayout,
    readonly commands: RedisConnection,
    private readonly onError: (error: Error) => void,
  ) {}

  /** True while commands can be sent: the connection is up and close() has not sent its goodbye. */
  get ready(): boolean {
    return !this.closeBegun && this.commands.status === 'ready';
  }

  /** close() has sent its goodbye and is ending the connections. */
  get closing(): boolean {
    return this.closeBegun;
  }

  /**
   * From here on nothing more is sent: Redis executes nothing a client sends behind QUIT, so such
   * a command could only fail. Commands still in flight may fail as their connection ends.
   */
  beginClosing(): void {
    this.closeBegun = true;
  }

  reportError(error: unknown): void {
    this.stats.errors++;
    this.onError(error instanceof Error ? error : new Error(String(error)));
  }

  /**
   * A command failed. Reported, unless it failed only because close() is ending its connection:
   * that is the shutdown going as planned. Any other failure, or one before close(), is an error.
   */
  commandFailed(error: unknown): void {
    if (this.closeBegun && error instanceof Error && error.message === CONNECTION_CLOSED_MESSAGE) return;
    this.reportError(error);
  }

  /** Runs a command whose answer nobody waits for; a failure is reported, not thrown. */
  run(command: () => Promise<unknown>): void {
    if (!this.ready) return;
    command().catch((error: unknown) => this.commandFailed(error));
  }

  /** Publishes in call order on the command connection (so one process's messages keep their order); counts what cannot go. */
  publish(channel: string, message: Buffer): void {
    if (!this.ready) {
      this.stats.lost++;
      return;
    }
    this.stats.published++;
    this.commands.publish(channel, message).catch((error: unknown) => {
      this.stats.published--;
      this.stats.lost++;
      this.commandFailed(error);
    });
  }
}
