import { describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/index.js';
import { roomWithRemoteMember, useBackplaneFixture } from './support/backplane-fixture.js';
import { RecordingHub, RecordingRoom, until } from './support/recorders.js';

describe('a Redis restart mid-session', () => {
  const fixture = useBackplaneFixture();
  const { errors } = fixture;
  const connect = (): Promise<RedisBackplane> => fixture.connect();

  it('counts what it could not publish, refuses ids at once, then resubscribes, registers again and reads the members again', async () => {
    const [a, b] = [await connect(), await connect()];
    const [roomA, roomB] = [new RecordingRoom(), new RecordingRoom()];
    const [hubA, hubB] = [new RecordingHub(), new RecordingHub()];
    a.roomLink.attach('r', roomA);
    b.roomLink.attach('r', roomB);
    a.attachTopics(hubA);
    b.attachTopics(hubB);
    hubB.backplane!.topicSubscribed('news');
    await until(() => fixture.redis.subscribers('gdws:room:r') === 2 && fixture.redis.subscribers('gdws:topic:news') === 1, 'subscribed');
    const [idA, idB] = [await a.roomLink.reserveId('r'), await b.roomLink.reserveId('r')];
    a.roomLink.localJoined('r', idA);
    b.roomLink.localJoined('r', idB);
    await until(() => roomA.members.has(idB) && roomB.members.has(idA), 'members');

    await fixture.redis.stop();
    await until(() => !a.connected && !b.connected, 'both notice the outage');
    // (A publication whose reply the cut connection took with it counts as lost too: hence the difference.)
    const lostBefore = a.stats.lost;
    hubA.backplane!.published('news', Buffer.from('lost'), true);
    a.roomLink.forward('r', idA, 0, Buffer.from('lost too'));
    expect(a.stats.lost - lostBefore).toBe(2);
    await expect(a.roomLink.reserveId('r')).rejects.toThrow(/Cannot give a peer id in room "r": Redis is unreachable/);
    // The reconnection attempts fail and are reported.
    await until(() => errors.length > 0 && a.stats.errors > 0, 'errors reported');

    // A Redis without persistence comes back empty.
    await fixture.redis.restart();
    await until(() => a.connected && b.connected, 'both reconnect');
    await until(() => fixture.redis.subscribers('gdws:room:r') === 2 && fixture.redis.subscribers('gdws:topic:news') === 1, 'resubscribed');
    await until(() => Object.keys(fixture.redis.hash('gdws:room:r:members')).length === 2, 'members registered again');
    expect(fixture.redis.keys().filter((key) => key.startsWith('gdws:process:')).length).toBe(2);

    hubA.backplane!.published('news', Buffer.from('after'), true);
    a.roomLink.forward('r', idA, 0, Buffer.from('after too'));
    await until(() => hubB.delivered.length === 1 && roomB.packets.length === 1, 'traffic flows again');
    expect(hubB.delivered[0]!.text).toBe('after');
    expect(roomB.packets[0]!.text).toBe('after too');
    // Nobody was taken for dead: the members stayed.
    expect(roomA.members).toEqual(new Set([idB]));
    expect(roomB.members).toEqual(new Set([idA]));
    expect(roomB.events).toEqual([`joined ${idA}`]);
  });

  it('after the outage, forgets members that left while it could not hear, and learns those that came', async () => {
    const [a, b] = [await connect(), await connect()];
    const roomA = new RecordingRoom();
    a.roomLink.attach('r', roomA);
    b.roomLink.attach('r', new RecordingRoom());
    await until(() => fixture.redis.subscribers('gdws:room:r') === 2, 'subscribed');
    const gone = await b.roomLink.reserveId('r');
    b.roomLink.localJoined('r', gone);
    await until(() => roomA.members.has(gone), 'member');

    await fixture.redis.stop();
    await until(() => !a.connected && !b.connected, 'outage');
    // B's member leaves and another joins while Redis is away: nobody hears it then.
    b.roomLink.localLeft('r', gone);
    b.roomLink.localJoined('r', 4242);
    await fixture.redis.restart();
    await until(() => roomA.members.has(4242) && !roomA.members.has(gone), 'reconciled');
    expect(roomA.events).toEqual([`joined ${gone}`, 'joined 4242', `left ${gone}`]);
  });

  it('a process away longer than the expiry is given up by the others and comes back when it reconnects', async () => {
    const { a, b, roomB, id } = await roomWithRemoteMember(fixture);
    const commandsOfA = (a as unknown as { commands: { disconnect(reconnect?: boolean): void } }).commands;
    // A's command connection drops and reconnects, and the dead-process check of B runs meanwhile.
    (a as unknown as { watch: { stop(): void } }).watch.stop();
    commandsOfA.disconnect(false);
    await until(() => !roomB.members.has(id), 'B gives A up');
    (commandsOfA as unknown as { connect(): Promise<void> }).connect().catch(() => {});
    await until(() => roomB.members.has(id), 'A registers its member again');
    expect(roomB.events).toEqual([`joined ${id}`, `left ${id}`, `joined ${id}`]);
  });
});
