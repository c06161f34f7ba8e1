// close() while the server around the backplane is still shutting down (demo/server.ts stops both
// at once): peers leave their last topic or room, so UNSUBSCRIBEs and publications come while the
// connections quit. The fake, like redis-server, answers nothing sent behind QUIT, and ioredis
// rejects such commands with "Connection is closed." once the connection ends.
import { describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/index.js';
import { useBackplaneFixture } from './support/backplane-fixture.js';
import { RecordingHub, RecordingRoom, until } from './support/recorders.js';

interface Connection {
  readonly status: string;
}
type Patchable = Record<string, (...args: unknown[]) => Promise<unknown>>;
const connectionsOf = (backplane: RedisBackplane): { commands: Connection & Patchable; subscriber: Connection & Patchable } =>
  backplane as unknown as { commands: Connection & Patchable; subscriber: Connection & Patchable };

/** Both connections ended: every command they still held has been answered or rejected by now. */
const ended = (backplane: RedisBackplane): boolean => {
  const { commands, subscriber } = connectionsOf(backplane);
  return commands.status === 'end' && subscriber.status === 'end';
};

describe('closing the backplane', () => {
  const fixture = useBackplaneFixture();
  const { errors } = fixture;
  const connect = (options: { connectTimeoutMs?: number } = {}): Promise<RedisBackplane> => fixture.connect(options);

  it('reports no error when peers leave their last topic and room while it closes', async () => {
    const a = await connect();
    const hub = new RecordingHub();
    a.attachTopics(hub);
    hub.backplane!.topicSubscribed('news');
    await a.roomLink.attach('r', new RecordingRoom());
    await until(() => fixture.redis.subscribers('gdws:topic:news') === 1 && fixture.redis.subscribers('gdws:room:r') === 1, 'subscribed');

    const closing = a.close();
    // The server stops its peers in the same turn as the backplane.
    hub.backplane!.topicUnsubscribed('news');
    a.roomLink.detach('r');
    hub.backplane!.published('news', Buffer.from('last words'), true);
    await closing;
    await until(() => ended(a), 'both connections ended');

    expect(errors).toEqual([]);
    expect(a.stats.errors).toBe(0);
    // Published after close() began: never handed to Redis.
    expect(a.stats.lost).toBe(1);
  });

  it('still says goodbye: local members leave and the heartbeat goes, all before QUIT', async () => {
    const [a, b] = [await connect(), await connect()];
    const roomB = new RecordingRoom();
    await a.roomLink.attach('r', new RecordingRoom());
    await b.roomLink.attach('r', roomB);
    const id = await a.roomLink.reserveId('r');
    a.roomLink.localJoined('r', id);
    await until(() => roomB.members.has(id), 'member seen by B');

    await a.close();
    await until(() => !roomB.members.has(id), 'B hears the member leave');
    expect(fixture.redis.hash('gdws:room:r:members')).toEqual({});
    expect(fixture.redis.keys()).toEqual([`gdws:process:${b.processId}`]);
    expect(errors).toEqual([]);
  });

  it('gives up on a Redis that stopped answering after connectTimeoutMs, cutting the connections, and reports nothing', async () => {
    const a = await connect({ connectTimeoutMs: 100 });
    const hub = new RecordingHub();
    a.attachTopics(hub);
    hub.backplane!.topicSubscribed('news');
    await until(() => fixture.redis.subscribers('gdws:topic:news') === 1, 'subscribed');

    fixture.redis.stall();
    // In flight when close() begins, and never answered.
    hub.backplane!.topicUnsubscribed('news');
    hub.backplane!.published('news', Buffer.from('unconfirmed'), true);
    await a.close();
    await until(() => ended(a), 'both connections ended');

    expect(errors).toEqual([]);
    expect(a.stats.errors).toBe(0);
    // Its confirmation went with the connection.
    expect(a.stats).toMatchObject({ published: 0, lost: 1 });
  });

  it('still reports a real failure, during close() as before it', async () => {
    const a = await connect();
    const hub = new RecordingHub();
    a.attachTopics(hub);
    hub.backplane!.topicSubscribed('news');
    await until(() => fixture.redis.subscribers('gdws:topic:news') === 1, 'subscribed');
    // A connection closing under the backplane's feet while it is not closing is a real failure.
    connectionsOf(a).commands.publish = () => Promise.reject(new Error('Connection is closed.'));
    hub.backplane!.published('news', Buffer.from('x'), true);
    await until(() => errors.length === 1, 'the failure before close');

    connectionsOf(a).subscriber.unsubscribe = () => Promise.reject(new Error('ERR refused by the test'));
    hub.backplane!.topicUnsubscribed('news');
    await a.close();
    await until(() => errors.length === 2, 'the refusal whose answer came while closing');
    expect(errors).toEqual(['Connection is closed.', 'ERR refused by the test']);
    expect(a.stats.errors).toBe(2);
  });

  it('can be called again and returns the same promise; afterwards ids are refused and nothing is sent', async () => {
    const a = await connect();
    const hub = new RecordingHub();
    a.attachTopics(hub);
    const first = a.close();
    expect(a.close()).toBe(first);
    await first;
    expect(a.connected).toBe(false);
    await expect(a.roomLink.reserveId('r')).rejects.toThrow('Cannot give a peer id in room "r": the backplane is closed');
    const sent = fixture.redis.counts.get('SUBSCRIBE') ?? 0;
    hub.backplane!.topicSubscribed('late');
    await a.close();
    expect(fixture.redis.counts.get('SUBSCRIBE') ?? 0).toBe(sent);
    expect(errors).toEqual([]);
  });
});
