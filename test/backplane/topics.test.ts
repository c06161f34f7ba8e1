import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisBackplane } from '../../src/backplane/index.js';
import { FakeRedis } from './support/fake-redis.js';
import { RecordingHub, until } from './support/recorders.js';

describe('topics across processes through Redis', () => {
  let redis: FakeRedis;
  const open: RedisBackplane[] = [];
  const connect = async (): Promise<RedisBackplane> => {
    const backplane = await RedisBackplane.connect({ url: redis.url, heartbeatMs: 50, expiryMs: 200 });
    open.push(backplane);
    return backplane;
  };

  beforeEach(async () => {
    redis = await FakeRedis.start();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((backplane) => backplane.close()));
    await redis.stop();
  });

  it('hands a publication to the other processes with subscribers, once each, and not back to its own', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const [hubA, hubB, hubC] = [new RecordingHub(), new RecordingHub(), new RecordingHub()];
    a.attachTopics(hubA);
    b.attachTopics(hubB);
    c.attachTopics(hubC);
    hubA.backplane!.topicSubscribed('news');
    hubB.backplane!.topicSubscribed('news');
    await until(() => redis.subscribers('gdws:topic:news') === 2, 'two subscriptions');

    hubA.backplane!.published('news', Buffer.from('hello'), true);
    hubC.backplane!.published('news', Buffer.from([1, 2, 3]), false);
    await until(() => hubB.delivered.length === 2 && hubA.delivered.length === 1, 'deliveries');
    // Two senders: each one's order is kept, not an order between them.
    expect(hubB.delivered).toEqual(expect.arrayContaining([
      { topic: 'news', text: 'hello', isText: true },
      { topic: 'news', text: '\x01\x02\x03', isText: false },
    ]));
    // A gets C's message but not its own echo; C has no subscribers, so nothing.
    expect(hubA.delivered).toEqual([{ topic: 'news', text: '\x01\x02\x03', isText: false }]);
    expect(hubC.delivered).toEqual([]);
    expect(a.stats).toMatchObject({ published: 1, received: 1, lost: 0 });
    expect(redis.counts.get('PUBLISH')).toBe(2);
  });

  it('listens to a topic only while it has local subscribers', async () => {
    const a = await connect();
    const hub = new RecordingHub();
    a.attachTopics(hub);
    hub.backplane!.topicSubscribed('scores');
    hub.backplane!.topicSubscribed('chat');
    await until(() => redis.subscribers('gdws:topic:scores') === 1 && redis.subscribers('gdws:topic:chat') === 1, 'subscribed');
    hub.backplane!.topicUnsubscribed('scores');
    hub.backplane!.topicUnsubscribed('never-subscribed');
    await until(() => redis.subscribers('gdws:topic:scores') === 0, 'unsubscribed');
    expect(redis.subscribers('gdws:topic:chat')).toBe(1);
  });

  it('ignores bytes on a topic channel that are not a backplane message', async () => {
    const [a, b] = [await connect(), await connect()];
    const hubA = new RecordingHub();
    a.attachTopics(hubA);
    b.attachTopics(new RecordingHub());
    hubA.backplane!.topicSubscribed('t');
    await until(() => redis.subscribers('gdws:topic:t') === 1, 'subscribed');
    const raw = (b as unknown as { commands: { publish(channel: string, message: Buffer): Promise<number> } }).commands;
    await raw.publish('gdws:topic:t', Buffer.from([9]));
    await raw.publish('gdws:topic:t', Buffer.from([1, 200]));
    await raw.publish('gdws:topic:t', Buffer.from([2, 1, 65, 0]));
    const hubB = new RecordingHub();
    b.attachTopics(hubB);
    hubB.backplane!.published('t', Buffer.from('after'), true);
    await until(() => hubA.delivered.length === 1, 'the real message');
    expect(hubA.delivered).toEqual([{ topic: 't', text: 'after', isText: true }]);
  });

  it('uses its prefix for every channel', async () => {
    const a = await RedisBackplane.connect({ url: redis.url, prefix: 'game7/' });
    open.push(a);
    const hub = new RecordingHub();
    a.attachTopics(hub);
    hub.backplane!.topicSubscribed('x');
    await until(() => redis.subscribers('game7/topic:x') === 1, 'prefixed subscription');
    expect(redis.keys()).toEqual([`game7/process:${a.processId}`]);
  });
});
