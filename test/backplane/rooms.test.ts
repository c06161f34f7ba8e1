import { describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/index.js';
import { roomWithRemoteMember, useBackplaneFixture } from './support/backplane-fixture.js';
import { RecordingRoom, until } from './support/recorders.js';

/** A closer look than the public API gives: the connections, to cut them as a killed process would. */
interface Connections {
  commands: { disconnect(reconnect?: boolean): void };
  subscriber: { disconnect(reconnect?: boolean): void };
  watch: { stop(): void };
}

describe('Godot rooms across processes through Redis', () => {
  const fixture = useBackplaneFixture();
  const { errors } = fixture;
  const connect = (): Promise<RedisBackplane> => fixture.connect();

  it('announces members to the other processes, lists earlier ones to a late process, and says when they leave', async () => {
    const [a, b] = [await connect(), await connect()];
    const [roomA, roomB] = [new RecordingRoom(), new RecordingRoom()];
    a.roomLink.attach('lobby', roomA);
    b.roomLink.attach('lobby', roomB);
    await until(() => fixture.redis.subscribers('gdws:room:lobby') === 2, 'both subscribed');

    const first = await a.roomLink.reserveId('lobby');
    a.roomLink.localJoined('lobby', first);
    await until(() => roomB.members.has(first), 'B hears of A\'s member');
    expect(fixture.redis.hash('gdws:room:lobby:members')).toEqual({ [first]: a.processId });

    // C attaches after the join: it reads the member from the hash.
    const c = await connect();
    const roomC = new RecordingRoom();
    c.roomLink.attach('lobby', roomC);
    await until(() => roomC.members.has(first), 'C reads A\'s member');

    const second = await b.roomLink.reserveId('lobby');
    expect(second).not.toBe(first);
    b.roomLink.localJoined('lobby', second);
    await until(() => roomA.members.has(second) && roomC.members.has(second), 'A and C hear of B\'s member');
    expect(roomB.members.has(second)).toBe(false);

    a.roomLink.localLeft('lobby', first);
    await until(() => !roomB.members.has(first) && !roomC.members.has(first), 'the departure');
    expect(roomB.events).toEqual([`joined ${first}`, `left ${first}`]);
    expect(fixture.redis.hash('gdws:room:lobby:members')).toEqual({ [second]: b.processId });
    // Leaving twice, or a room never attached, changes nothing.
    a.roomLink.localLeft('lobby', first);
    a.roomLink.localJoined('elsewhere', 5);
    a.roomLink.forward('elsewhere', 5, 0, Buffer.from('x'));
  });

  it('relays packets in the order each sender sent them, to everyone or only to the process holding the target', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const [roomA, roomB, roomC] = [new RecordingRoom(), new RecordingRoom(), new RecordingRoom()];
    a.roomLink.attach('r', roomA);
    b.roomLink.attach('r', roomB);
    c.roomLink.attach('r', roomC);
    await until(() => fixture.redis.subscribers('gdws:room:r') === 3, 'subscribed');
    const [idA, idB] = [await a.roomLink.reserveId('r'), await b.roomLink.reserveId('r')];
    a.roomLink.localJoined('r', idA);
    b.roomLink.localJoined('r', idB);
    await until(() => roomC.members.size === 2, 'members');

    for (let i = 0; i < 200; i++) a.roomLink.forward('r', idA, 0, Buffer.from(`all ${i}`));
    a.roomLink.forward('r', idA, idB, Buffer.from('to B'));
    a.roomLink.forward('r', idA, -idB, Buffer.from('all but B'));
    await until(() => roomB.packets.length === 202 && roomC.packets.length === 201, 'packets');
    expect(roomB.packets.slice(0, 200).map((packet) => packet.text)).toEqual(Array.from({ length: 200 }, (_, i) => `all ${i}`));
    expect(roomB.packets.slice(200)).toEqual([
      { from: idA, to: idB, text: 'to B' },
      { from: idA, to: -idB, text: 'all but B' },
    ]);
    // C holds no B, so the packet for B stays out of it; A never hears its own.
    expect(roomC.packets.at(-1)).toEqual({ from: idA, to: -idB, text: 'all but B' });
    expect(roomA.packets).toEqual([]);
  });

  it('takes a packet from a member it has not heard of yet as its arrival', async () => {
    const [a, b] = [await connect(), await connect()];
    const roomB = new RecordingRoom();
    a.roomLink.attach('r', new RecordingRoom());
    b.roomLink.attach('r', roomB);
    await until(() => fixture.redis.subscribers('gdws:room:r') === 2, 'subscribed');
    a.roomLink.forward('r', 77, 0, Buffer.from('hi'));
    await until(() => roomB.packets.length === 1, 'packet');
    expect(roomB.events).toEqual(['joined 77']);
  });

  it('announces the members of a process that stops beating (killed) as gone, and removes them from the hash', async () => {
    const [a, b] = [await connect(), await connect()];
    const roomB = new RecordingRoom();
    a.roomLink.attach('r', new RecordingRoom());
    b.roomLink.attach('r', roomB);
    await until(() => fixture.redis.subscribers('gdws:room:r') === 2, 'subscribed');
    const ids = [await a.roomLink.reserveId('r'), await a.roomLink.reserveId('r')];
    for (const id of ids) a.roomLink.localJoined('r', id);
    await until(() => roomB.members.size === 2, 'members');

    // No goodbye: the heartbeat stops and the connections drop, as with SIGKILL.
    const killed = a as unknown as Connections;
    killed.watch.stop();
    killed.commands.disconnect(false);
    killed.subscriber.disconnect(false);
    await until(() => roomB.members.size === 0, 'the members of the dead process leave');
    expect(roomB.events.slice(2).sort()).toEqual(ids.map((id) => `left ${id}`).sort());
    await until(() => Object.keys(fixture.redis.hash('gdws:room:r:members')).length === 0, 'the hash is cleaned');
  });

  it('says goodbye on close: members leave and the heartbeat key goes', async () => {
    const { a, b, roomB, id } = await roomWithRemoteMember(fixture);
    await a.close();
    await a.close();
    await until(() => !roomB.members.has(id), 'goodbye');
    expect(fixture.redis.keys()).toEqual([`gdws:process:${b.processId}`]);
  });

  it('detaching a room announces its remaining local members as gone and stops listening', async () => {
    const { a, b, roomB, id } = await roomWithRemoteMember(fixture);
    a.roomLink.detach('r');
    a.roomLink.detach('r');
    await until(() => !roomB.members.has(id) && fixture.redis.subscribers('gdws:room:r') === 1, 'detached');
  });
});
