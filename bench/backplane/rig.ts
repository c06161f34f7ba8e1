import { ReceiverProcess } from '../broadcast/receiver-process.js';
import { track } from './children.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The processes that live for the whole run, so each warms up once: the
 * private redis-server, process B, and two receiver processes (a receiver
 * process holds one batch of connections at a time, and the split layout
 * needs one batch per gdws process).
 */
export interface Rig {
  readonly redis: RedisServer;
  readonly serverB: ServerProcess;
  readonly receivers: ReceiverProcess[];
}

export const RECEIVER_PROCESSES = 2;

export function startReceiverProcess(): ReceiverProcess {
  const receivers = new ReceiverProcess();
  track(receivers.child);
  return receivers;
}

export async function startRig(redisExecutable: string): Promise<Rig> {
  const redis = await startRedisServer(redisExecutable);
  let serverB: ServerProcess;
  try {
    serverB = await startServerProcess(redis.url);
  } catch (error) {
    await redis.stop();
    throw error;
  }
  const receivers = Array.from({ length: RECEIVER_PROCESSES }, startReceiverProcess);
  return { redis, serverB, receivers };
}

/** After a failed cell a receiver process may still hold connections or a pending reply: start afresh. */
export function replaceReceiverProcess(rig: Rig, index: number): void {
  rig.receivers[index]!.stop();
  rig.receivers[index] = startReceiverProcess();
}

export async function stopRig(rig: Rig): Promise<void> {
  for (const receivers of rig.receivers) receivers.stop();
  // B first: its backplane says goodbye to a Redis that is still there.
  await rig.serverB.stop();
  await rig.redis.stop();
}
