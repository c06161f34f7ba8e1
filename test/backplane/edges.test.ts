import { describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/index.js';
import type { RoomLink } from '../../src/rooms/room-link.js';
import { useBackplaneFixture } from './support/backplane-fixture.js';
import { RecordingHub, RecordingRoom, until } from './support/recorders.js';

type Patchable = Record<string, (...args: unknown[]) => Promise<unknown>>;
const connectionsOf = (backplane: RedisBackplane): { commands: Patchable; subscriber: Patchable } =>
  backplane as unknown as { commands: Patchable; subscriber: Patchable };
const refuse = (): Promise<never> => Promise.reject(new Error('ERR refused by the test'));

describe('the backplane when commands fail or come at awkward moments', () => {
  const fixture = useBackplaneFixture();
  const { errors } = fixture;
  const connect = (): Promise<RedisBackplane> => fixture.connect();

  it('a topic subscribed while Redis is away is subscribed once it is back; subscribing twice sends one SUBSCRIBE', async () => {
    const a = await connect();
    const hub = new RecordingHub();
    a.attachTopics(hub);
    hub.backplane!.topicSubscribed('early');
    hub.backplane!.topicSubscribed('early');
    await until(() => fixture.redis.subscribers('gdws:topic:early') === 1, 'subscribed');
    expect(fixture.redis.counts.get('SUBSCRIBE')).toBe(1);
    await fixture.redis.stop();
    await until(() => !a.connected, 'outage');
    hub.backplane!.topicSubscribed('late');
    hub.backplane!.topicUnsubscribed('early');
    await fixture.redis.restart();
    await until(() => fixture.redis.subscribers('gdws:topic:late') === 1, 'subscribed after the outage');
    expect(fixture.redis.subscribers('gdws:topic:early')).toBe(0);
  });

  it('counts a publication Redis refuses as lost and reports the error', async () => {
    const a = await connect();
    const hub = new RecordingHub();
    a.attachTopics(hub);
    connectionsOf(a).commands.publish = refuse;
    hub.backplane!.published('t', Buffer.from('x'), true);
    await until(() => a.stats.lost === 1, 'lost');
    expect(a.stats.published).toBe(0);
    expect(errors).toContain('ERR refused by the test');
    // Something thrown that is not an Error is reported as one.
    connectionsOf(a).commands.publish = () => Promise.reject('a bare string');
    hub.backplane!.published('t', Buffer.from('y'), true);
    await until(() => errors.includes('a bare string'), 'the wrapped error');
  });

  it('reports a failed subscription and a failed member read, and keeps going', async () => {
    const a = await connect();
    connectionsOf(a).subscriber.subscribe = refuse;
    connectionsOf(a).commands.hgetall = refuse;
    await a.roomLink.attach('r', new RecordingRoom());
    await until(() => errors.length === 2, 'both errors');
    expect(a.stats.errors).toBe(2);
  });

  it('hands rooms its link with attachRooms', async () => {
    const a = await connect();
    let attached: RoomLink | null = null;
    a.attachRooms({ attachLink: (link) => (attached = link) });
    expect(attached).toBe(a.roomLink);
  });
});
