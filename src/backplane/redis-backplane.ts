import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BackplaneContext, type BackplaneStats } from './backplane-context.js';
import { ChannelSubscriptions } from './channel-subscriptions.js';
import type { RoomLink, RoomsLike, TopicHubLike } from './contract.js';
import { KeyLayout } from './keys.js';
import { ProcessWatch } from './process-watch.js';
import { loadRedisClient, type RedisConnection } from './redis-connection.js';
import { RoomBridge } from './room-bridge.js';
import { TopicBridge } from './topic-bridge.js';

export interface RedisBackplaneOptions {
  /** Default redis://127.0.0.1:6379. */
  url: string;
  /** Prefix of every key and channel, so deployments can share a Redis; default "gdws:". */
  prefix: string;
  /** How often this process renews its heartbeat and checks the others'; default 1000 ms. */
  heartbeatMs: number;
  /** How long a heartbeat lives: a process silent this long is taken for dead; default 3000 ms. */
  expiryMs: number;
  /** How long an id reserved for a joining peer stays reserved before its join is recorded; default 10000 ms. */
  reserveTtlMs: number;
  /** How long `connect` waits for Redis, and `close` for Redis to answer its goodbye; default 2000 ms. */
  connectTimeoutMs: number;
  /** Every error of the Redis client or of a command (also counted in `stats.errors`). */
  onError: (error: Error) => void;
}

const DEFAULTS: RedisBackplaneOptions = {
  url: 'redis://127.0.0.1:6379',
  prefix: 'gdws:',
  heartbeatMs: 1000,
  expiryMs: 3000,
  reserveTtlMs: 10_000,
  connectTimeoutMs: 2000,
  onError: () => {},
};

function checkOptions(options: RedisBackplaneOptions): void {
  for (const name of ['heartbeatMs', 'expiryMs', 'reserveTtlMs', 'connectTimeoutMs'] as const) {
    const value = options[name];
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${value}`);
  }
  if (options.expiryMs <= options.heartbeatMs) {
    throw new RangeError(`expiryMs (${options.expiryMs}) must be longer than heartbeatMs (${options.heartbeatMs}), or live processes would be taken for dead`);
  }
}

/**
 * Connects both connections or rejects with one clear message: at the first error (the client
 * would retry a refused connection forever) or after `timeoutMs`.
 */
async function connectBoth(connections: RedisConnection[], url: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    for (const connection of connections) connection.on('error', reject);
  });
  try {
    await Promise.race([Promise.all(connections.map((connection) => connection.connect())), timeout]);
  } catch (error) {
    for (const connection of connections) connection.disconnect(false);
    throw new Error(`Cannot connect to Redis at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * QUIT lets Redis answer everything sent before it, then close the connection. A Redis that
 * stopped answering would hold that forever, so after `timeoutMs`, or at once when QUIT cannot
 * be sent (the connection is away), the connection is cut.
 */
async function quitWithin(connection: RedisConnection, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const answered = connection.quit().then(
    () => true,
    () => false,
  );
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, false);
  });
  const quitCleanly = await Promise.race([answered, timedOut]);
  clearTimeout(timer);
  if (!quitCleanly) connection.disconnect(false);
}

/**
 * Joins this process's topics and Godot rooms with those of other processes and machines
 * through one Redis server. Two connections: one for commands and publications (one
 * connection, so this process's messages keep their order), one for subscriptions.
 */
export class RedisBackplane {
  /** This process's name in Redis: host, pid and a random part. */
  readonly processId: string;
  private readonly context: BackplaneContext;
  private readonly subscriptions: ChannelSubscriptions;
  private readonly rooms: RoomBridge;
  private readonly watch: ProcessWatch;
  private readonly closeTimeoutMs: number;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly commands: RedisConnection,
    private readonly subscriber: RedisConnection,
    options: RedisBackplaneOptions,
  ) {
    this.processId = `${hostname().slice(0, 64)}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.context = new BackplaneContext(this.processId, new KeyLayout(options.prefix), commands, options.onError);
    this.subscriptions = new ChannelSubscriptions(subscriber, this.context);
    this.rooms = new RoomBridge(this.context, this.subscriptions, options);
    this.watch = new ProcessWatch(this.context, this.rooms, options);
    this.closeTimeoutMs = options.connectTimeoutMs;
    let outage = false;
    commands.on('close', () => {
      outage = true;
      this.watch.disconnected();
    });
    commands.on('ready', () => {
      if (outage && !this.context.closing) this.watch.connected(true);
      outage = false;
    });
  }

  /** Loads the optional `ioredis` package, connects to Redis and starts the heartbeat. */
  static async connect(options: Partial<RedisBackplaneOptions> = {}): Promise<RedisBackplane> {
    const settings: RedisBackplaneOptions = { ...DEFAULTS, ...options };
    checkOptions(settings);
    const open = await loadRedisClient();
    const connectionSettings = { connectTimeoutMs: settings.connectTimeoutMs, retryCapMs: settings.heartbeatMs };
    const commands = open(settings.url, connectionSettings);
    const subscriber = open(settings.url, connectionSettings);
    let backplane: RedisBackplane | null = null;
    const onClientError = (error: Error): void => {
      // Before the backplane exists the first failure is the one `connect` rejects with.
      if (backplane !== null) backplane.context.reportError(error);
    };
    commands.on('error', onClientError);
    subscriber.on('error', onClientError);
    await connectBoth([commands, subscriber], settings.url, settings.connectTimeoutMs);
    backplane = new RedisBackplane(commands, subscriber, settings);
    backplane.watch.start();
    return backplane;
  }

  /** What went through Redis and what could not; see BackplaneStats. */
  get stats(): Readonly<BackplaneStats> {
    return this.context.stats;
  }

  /** True while Redis answers. */
  get connected(): boolean {
    return this.context.ready;
  }

  /** The link Godot rooms use to span processes. */
  get roomLink(): RoomLink {
    return this.rooms;
  }

  /** Shares a topic hub's topics with the other processes. */
  attachTopics(hub: TopicHubLike): void {
    hub.attachBackplane(new TopicBridge(this.context, this.subscriptions, hub));
  }

  /** Lets rooms span processes. */
  attachRooms(rooms: RoomsLike): void {
    rooms.attachLink(this.rooms);
  }

  /**
   * Says goodbye (local members leave, the heartbeat goes) and closes both connections, waiting
   * at most `connectTimeoutMs` for Redis. Afterwards nothing more is sent. Calling it again
   * returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.sayGoodbyeAndQuit();
    return this.closing;
  }

  private async sayGoodbyeAndQuit(): Promise<void> {
    this.watch.stop();
    this.rooms.leaveAll();
    const { keys, commands } = this.context;
    this.context.run(() => commands.del(keys.heartbeat(this.processId)));
    // After the goodbye, before QUIT: whatever the server around us still does (peers leaving
    // their last topic or room as it stops) must not queue commands behind QUIT.
    this.context.beginClosing();
    await Promise.all([this.commands, this.subscriber].map((connection) => quitWithin(connection, this.closeTimeoutMs)));
  }
}
