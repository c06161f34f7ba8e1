import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RedisBackplane as Backplane } from '../../src/backplane/index.js';

// Ids drawn from a script, to make two processes want the same one.
const draws: number[] = [];
vi.mock('../../src/server/peer-id.js', () => ({
  randomPeerId: (isTaken: (id: number) => boolean) => {
    for (;;) {
      const id = draws.shift();
      if (id === undefined) throw new Error('no more scripted ids');
      if (!isTaken(id)) return id;
    }
  },
}));

const { RedisBackplane } = await import('../../src/backplane/index.js');
const { FakeRedis } = await import('./support/fake-redis.js');
const { RecordingRoom } = await import('./support/recorders.js');

describe('reserveId: ids unique across processes', () => {
  let redis: InstanceType<typeof FakeRedis>;
  const open: Array<Backplane> = [];
  const connect = async (reserveTtlMs = 10_000): Promise<Backplane> => {
    const backplane = await RedisBackplane.connect({ url: redis.url, reserveTtlMs });
    open.push(backplane);
    return backplane;
  };

  beforeEach(async () => {
    redis = await FakeRedis.start();
    draws.length = 0;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((backplane) => backplane.close()));
    await redis.stop();
  });

  it('skips an id another process has reserved (SET NX) and one a member holds after its reservation expired', async () => {
    const [a, b] = [await connect(300), await connect()];
    a.roomLink.attach('r', new RecordingRoom());
    draws.push(100);
    expect(await a.roomLink.reserveId('r')).toBe(100);
    // 100 is reserved by A: B draws it, loses the SET NX and takes the next.
    draws.push(100, 300);
    expect(await b.roomLink.reserveId('r')).toBe(300);
    expect(redis.keys()).toEqual(expect.arrayContaining(['gdws:room:r:id:100', 'gdws:room:r:id:300']));

    // A's member 100 joined; its 300 ms reservation lapses, but the hash still holds it.
    a.roomLink.localJoined('r', 100);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(redis.keys()).not.toContain('gdws:room:r:id:100');
    draws.push(100, 400);
    expect(await b.roomLink.reserveId('r')).toBe(400);
  });

  it('does not draw ids it already knows in the room', async () => {
    const a = await connect();
    a.roomLink.attach('r', new RecordingRoom());
    a.roomLink.localJoined('r', 5);
    draws.push(5, 6);
    expect(await a.roomLink.reserveId('r')).toBe(6);
  });

  it('gives up with a clear reason after eight taken ids', async () => {
    const [a, b] = [await connect(), await connect()];
    for (let id = 10; id < 18; id++) {
      draws.push(id);
      await a.roomLink.reserveId('r');
    }
    draws.push(10, 11, 12, 13, 14, 15, 16, 17);
    await expect(b.roomLink.reserveId('r')).rejects.toThrow('Cannot give a peer id in room "r": no free id after 8 tries');
  });

  it('refuses with the reason when Redis fails the command', async () => {
    const a = await connect();
    draws.push(50);
    const commands = (a as unknown as { commands: { set: (...args: unknown[]) => Promise<unknown> } }).commands;
    commands.set = () => Promise.reject(new Error('OOM command not allowed'));
    await expect(a.roomLink.reserveId('r')).rejects.toThrow('Cannot give a peer id in room "r": Redis failed: OOM command not allowed');
  });
});
