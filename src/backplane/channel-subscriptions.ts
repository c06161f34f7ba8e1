import type { BackplaneContext } from './backplane-context.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * The channels this process listens to, one handler each, on the subscriber connection.
 * A channel is subscribed only while someone here needs it, and all of them again after the
 * connection comes back (Redis forgets subscriptions with the connection).
 */
export class ChannelSubscriptions {
  private readonly handlers = new Map<string, (message: Buffer) => void>();

  constructor(
    private readonly subscriber: RedisConnection,
    private readonly context: BackplaneContext,
  ) {
    subscriber.on('messageBuffer', (channel, message) => this.handlers.get(channel.toString())?.(message));
    subscriber.on('ready', () => this.resubscribe());
  }

  get channels(): string[] {
    return [...this.handlers.keys()];
  }

  add(channel: string, handler: (message: Buffer) => void): void {
    const known = this.handlers.has(channel);
    this.handlers.set(channel, handler);
    if (!known) this.send(() => this.subscriber.subscribe(channel));
  }

  remove(channel: string): void {
    if (this.handlers.delete(channel)) this.send(() => this.subscriber.unsubscribe(channel));
  }

  private resubscribe(): void {
    const channels = this.channels;
    if (channels.length > 0) this.send(() => this.subscriber.subscribe(...channels));
  }

  /**
   * While the connection is away nothing is sent: 'ready' subscribes everything needed then.
   * Once closing, nothing is sent either: Redis forgets the subscriptions with the connection.
   */
  private send(command: () => Promise<unknown>): void {
    if (this.context.closing || this.subscriber.status !== 'ready') return;
    command().catch((error: unknown) => this.context.commandFailed(error));
  }
}
