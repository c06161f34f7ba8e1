/**
 * The part of a Redis client the backplane uses, shaped after ioredis (the client it loads).
 * Declared here so gdws's typings never name the optional package.
 */
export interface RedisConnection {
  /** 'ready' while commands can be sent. */
  readonly status: string;
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(reconnect?: boolean): void;
  on(event: 'ready' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'messageBuffer', listener: (channel: Buffer, message: Buffer) => void): unknown;
  set(key: string, value: string, expiry: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, expiry: 'PX', milliseconds: number, condition: 'NX'): Promise<'OK' | null>;
  del(...keys: string[]): Promise<number>;
  hset(key: string, field: string, value: string): Promise<number>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  hexists(key: string, field: string): Promise<number>;
  mget(...keys: string[]): Promise<Array<string | null>>;
  publish(channel: string, message: Buffer): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
}

/**
 * How ioredis rejects a command its connection never answered because the connection ended on
 * purpose (QUIT or disconnect): a drop it did not ask for fails commands with other errors.
 */
export const CONNECTION_CLOSED_MESSAGE = 'Connection is closed.';

export interface RedisConnectionSettings {
  connectTimeoutMs: number;
  /** Longest wait between reconnection attempts. */
  retryCapMs: number;
}

export type RedisConnectionFactory = (url: string, settings: RedisConnectionSettings) => RedisConnection;

type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisConnection;

/** Loads a module by name; replaced in tests to play a missing package. */
export type ModuleImporter = (name: string) => Promise<unknown>;

// A variable, so TypeScript neither resolves the optional package nor writes it into gdws's typings.
const CLIENT_PACKAGE = 'ioredis';
const importModule: ModuleImporter = (name) => import(name);

/** The Redis client's constructor from the ioredis package, or an Error saying how to install it. */
export async function loadRedisClient(importer: ModuleImporter = importModule): Promise<RedisConnectionFactory> {
  let loaded: unknown;
  try {
    loaded = await importer(CLIENT_PACKAGE);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`The Redis backplane needs the optional package "${CLIENT_PACKAGE}" (version 5 or later): run \`npm install ${CLIENT_PACKAGE}\` (${detail})`);
  }
  const module = loaded as { Redis?: unknown; default?: unknown };
  const Redis = typeof module.Redis === 'function' ? module.Redis : module.default;
  if (typeof Redis !== 'function') throw new Error(`The package "${CLIENT_PACKAGE}" does not export a Redis client class; install version 5 or later`);
  return (url, settings) =>
    new (Redis as RedisConstructor)(url, {
      lazyConnect: true,
      connectTimeout: settings.connectTimeoutMs,
      // Fail fast while Redis is away instead of queueing: a join is refused, a message is counted lost.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // The backplane resubscribes and re-registers itself on 'ready', knowing what it needs now.
      autoResubscribe: false,
      enableReadyCheck: false,
      protocol: 2,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, settings.retryCapMs),
    });
}
