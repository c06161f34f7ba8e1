import type { ReceiverReport } from '../broadcast/receiver-process.js';
import { PAYLOAD_LENGTH, publishWindowed } from '../broadcast/windowed-publish.js';
import { processCpuSeconds } from '../support/process-cpu.js';
import { Deadline } from './deadline.js';
import { mergedPercentile, ReceiverGroup } from './receiver-group.js';
import { redisCounters, subscriberCount, type RedisCounters } from './redis-server.js';
import { replaceReceiverProcess, type Rig } from './rig.js';
import { BENCH_CHANNEL, startTopicServer, type TopicServer } from './topic-server.js';

/**
 * One measured cell: process A (this one) starts a fresh gdws server, joined
 * to Redis or not, the receivers connect in their batches (to A or to B),
 * and A publishes until every receiver has every message.
 */

/** A: this process, the publisher. B: the server process joined to it through Redis. */
export type Side = 'A' | 'B';

export interface Layout {
  name: string;
  throughRedis: boolean;
  /** Receiver batches, at most one per receiver process. */
  batches: Array<{ side: Side; count: number }>;
}

/** One batch's own latencies (its deliveries/s are the layout's share: every receiver gets every message). */
export interface BatchResult {
  side: Side;
  count: number;
  p50: number;
  p99: number;
}

export interface CellResult {
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  /** CPU time per delivery, in µs, of A (the publisher), of B and of redis-server. */
  cpuMicrosPerDelivery: { publisher: number; serverB: number; redis: number };
  batches: BatchResult[];
  /** What crossing Redis cost during the timed part, for the layouts through Redis. */
  redis: RedisCounters | null;
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

function cpuMicros(rig: Rig): { publisher: number; serverB: number; redis: number } {
  const own = process.cpuUsage();
  return { publisher: own.user + own.system, serverB: processCpuSeconds(rig.serverB.pid) * 1e6, redis: processCpuSeconds(rig.redis.pid) * 1e6 };
}

/** Until every process holding receivers listens on the topic's channel: what is published before that is lost, not late. */
async function untilSubscribed(rig: Rig, processes: number): Promise<void> {
  while ((await subscriberCount(rig.redis.port, BENCH_CHANNEL)) < processes) await sleep(20);
}

export async function runCell(layout: Layout, rig: Rig, deliveries: number, timeoutMs: number): Promise<CellResult> {
  const deadline = new Deadline(timeoutMs, 'cell');
  const group = new ReceiverGroup(layout.batches.map((_, index) => rig.receivers[index]!));
  const receiverCount = layout.batches.reduce((sum, batch) => sum + batch.count, 0);
  let publisher: TopicServer | null = null;
  try {
    publisher = await deadline.race(startTopicServer(layout.throughRedis ? rig.redis.url : null));
    const ports: Record<Side, number> = { A: publisher.port, B: rig.serverB.port };
    await deadline.race(
      Promise.all(
        layout.batches.map((batch, index) =>
          group.members[index]!.request({ type: 'connect', port: ports[batch.side], path: '/', count: batch.count, payloadLength: PAYLOAD_LENGTH, stampOffset: 0, godot4: false }, 'connected'),
        ),
      ),
    );
    if (layout.throughRedis) await deadline.race(untilSubscribed(rig, new Set(layout.batches.map((batch) => batch.side)).size));
    group.resetProgress();
    const messages = Math.max(1, Math.round(deliveries / receiverCount));
    // Settle: connections idle, nothing in flight.
    await sleep(200);
    const redisBefore = layout.throughRedis ? await deadline.race(redisCounters(rig.redis.port)) : null;
    const before = cpuMicros(rig);
    const started = process.hrtime.bigint();
    await publishWindowed(publisher.publish, messages, group, (wait) => deadline.race(wait));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = cpuMicros(rig);
    const redisAfter = redisBefore === null ? null : await deadline.race(redisCounters(rig.redis.port));
    const reports: ReceiverReport[] = await deadline.race(Promise.all(group.members.map((member) => member.report())));
    const total = reports.reduce((sum, report) => sum + report.total, 0);
    return {
      deliveriesPerSecond: total / seconds,
      p50: mergedPercentile(reports, 0.5),
      p99: mergedPercentile(reports, 0.99),
      cpuMicrosPerDelivery: {
        publisher: (after.publisher - before.publisher) / total,
        serverB: (after.serverB - before.serverB) / total,
        redis: (after.redis - before.redis) / total,
      },
      batches: layout.batches.map((batch, index) => ({ ...batch, p50: reports[index]!.p50, p99: reports[index]!.p99 })),
      redis: redisBefore === null || redisAfter === null ? null : difference(redisAfter, redisBefore),
    };
  } finally {
    deadline.clear();
    await closeCell(rig, group, publisher);
  }
}

function difference(after: RedisCounters, before: RedisCounters): RedisCounters {
  return {
    publishCalls: after.publishCalls - before.publishCalls,
    publishMicros: after.publishMicros - before.publishMicros,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Bounded too: a failed cell's cleanup must not be what hangs the run. */
async function closeCell(rig: Rig, group: ReceiverGroup, publisher: TopicServer | null): Promise<void> {
  const closing = new Deadline(10_000, 'closing the cell');
  try {
    await closing.race(Promise.all(group.members.map((member) => member.request({ type: 'close' }, 'closed'))));
  } catch (error) {
    console.error(`${describe(error)}: starting new receiver processes`);
    for (let index = 0; index < group.members.length; index++) replaceReceiverProcess(rig, index);
  }
  try {
    if (publisher !== null) await closing.race(publisher.close());
  } catch (error) {
    console.error(`stopping the publishing server: ${describe(error)}`);
  } finally {
    closing.clear();
  }
  await sleep(300);
}
