import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/index.js';
import { loadRedisClient } from '../../src/backplane/redis-connection.js';
import { decodeWireMessage, encodeMemberNotice, encodeRoomPacket, encodeTopicMessage, WireKind } from '../../src/backplane/wire.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('RedisBackplane.connect', () => {
  it('refuses options that cannot work, saying which', async () => {
    await expect(RedisBackplane.connect({ heartbeatMs: 0 })).rejects.toThrow('heartbeatMs must be a positive whole number of milliseconds, got 0');
    await expect(RedisBackplane.connect({ reserveTtlMs: 1.5 })).rejects.toThrow('reserveTtlMs must be');
    await expect(RedisBackplane.connect({ heartbeatMs: 1000, expiryMs: 1000 })).rejects.toThrow('expiryMs (1000) must be longer than heartbeatMs (1000)');
  });

  it('rejects with the address when Redis is not there', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    await expect(RedisBackplane.connect({ url, connectTimeoutMs: 1000 })).rejects.toThrow(`Cannot connect to Redis at ${url}: `);
  });

  it('gives up after connectTimeoutMs when a server accepts but never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      await expect(RedisBackplane.connect({ url, connectTimeoutMs: 200 })).rejects.toThrow(`Cannot connect to Redis at ${url}: `);
    } finally {
      silent.close();
    }
  });
});

describe('loading the optional Redis client', () => {
  it('says how to install ioredis when it is missing', async () => {
    const missing = (): Promise<never> => Promise.reject(new Error("Cannot find package 'ioredis'"));
    await expect(loadRedisClient(missing)).rejects.toThrow('The Redis backplane needs the optional package "ioredis" (version 5 or later): run `npm install ioredis`');
    await expect(loadRedisClient(() => Promise.reject(new Error('x')))).rejects.toThrow('(x)');
    await expect(loadRedisClient(() => Promise.reject('not an Error'))).rejects.toThrow('(not an Error)');
  });

  it('refuses a package without a client class', async () => {
    await expect(loadRedisClient(() => Promise.resolve({ default: 42 }))).rejects.toThrow('does not export a Redis client class');
  });

  it('takes the class from the default export too (CommonJS interop)', async () => {
    class Client {
      constructor(readonly url: string, readonly options: Record<string, unknown>) {}
    }
    const open = await loadRedisClient(() => Promise.resolve({ default: Client }));
    const client = open('redis://h:1', { connectTimeoutMs: 5, retryCapMs: 300 }) as unknown as Client;
    expect(client.url).toBe('redis://h:1');
    expect(client.options).toMatchObject({ enableOfflineQueue: false, autoResubscribe: false, connectTimeout: 5 });
    const retry = client.options.retryStrategy as (attempt: number) => number;
    expect([retry(1), retry(50)]).toEqual([100, 300]);
  });
});

describe('the backplane wire format', () => {
  it('round-trips each kind', () => {
    expect(decodeWireMessage(encodeTopicMessage('p1', true, Buffer.from('hi')))).toEqual({ kind: WireKind.TOPIC, process: 'p1', isText: true, payload: Buffer.from('hi') });
    expect(decodeWireMessage(encodeMemberNotice(WireKind.LEFT, 'p', 7))).toEqual({ kind: WireKind.LEFT, process: 'p', id: 7 });
    expect(decodeWireMessage(encodeRoomPacket('p', 3, -9, Buffer.from([1])))).toEqual({ kind: WireKind.PACKET, process: 'p', from: 3, target: -9, payload: Buffer.from([1]) });
  });

  it('returns null for bytes that are not a message', () => {
    for (const bytes of [[], [1], [1, 5, 65], [1, 1, 65], [2, 1, 65, 0, 0], [4, 1, 65, 0, 0, 0, 0], [9, 0, 1]]) {
      expect(decodeWireMessage(Buffer.from(bytes))).toBeNull();
    }
  });
});
