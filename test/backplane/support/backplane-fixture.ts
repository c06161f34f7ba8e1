import { afterEach, beforeEach } from 'vitest';
import { RedisBackplane, type RedisBackplaneOptions } from '../../../src/backplane/index.js';
import { FakeRedis } from './fake-redis.js';
import { RecordingRoom, until } from './recorders.js';

export interface BackplaneFixture {
  /** This test's in-memory Redis (a fresh one per test). */
  readonly redis: FakeRedis;
  /** Messages of the errors every backplane of this test reported through `onError`. */
  readonly errors: string[];
  /** A backplane on this test's Redis with a fast heartbeat (40 ms, expiry 150 ms), closed after the test. */
  connect(options?: Partial<RedisBackplaneOptions>): Promise<RedisBackplane>;
}

/** Registers the hooks for a describe block whose tests each get a fresh FakeRedis and close their backplanes. */
export function useBackplaneFixture(): BackplaneFixture {
  let redis: FakeRedis | null = null;
  const open: RedisBackplane[] = [];
  const errors: string[] = [];
  beforeEach(async () => {
    redis = await FakeRedis.start();
    errors.length = 0;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((backplane) => backplane.close()));
    await redis?.stop();
  });
  return {
    get redis(): FakeRedis {
      if (redis === null) throw new Error('The fixture\'s Redis starts in beforeEach');
      return redis;
    },
    errors,
    async connect(options = {}) {
      const backplane = await RedisBackplane.connect({ url: this.redis.url, heartbeatMs: 40, expiryMs: 150, onError: (error) => errors.push(error.message), ...options });
      open.push(backplane);
      return backplane;
    },
  };
}

/**
 * Two backplanes (two processes) in room `r`, and a member of A's that B has
 * heard of: where most room tests start.
 */
export async function roomWithRemoteMember(fixture: BackplaneFixture): Promise<{ a: RedisBackplane; b: RedisBackplane; roomB: RecordingRoom; id: number }> {
  const [a, b] = [await fixture.connect(), await fixture.connect()];
  const roomB = new RecordingRoom();
  a.roomLink.attach('r', new RecordingRoom());
  b.roomLink.attach('r', roomB);
  await until(() => fixture.redis.subscribers('gdws:room:r') === 2, 'subscribed');
  const id = await a.roomLink.reserveId('r');
  a.roomLink.localJoined('r', id);
  await until(() => roomB.members.has(id), 'member');
  return { a, b, roomB, id };
}
