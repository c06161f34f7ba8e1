// The Redis backplane with a real redis-server (Debian's, started here on a free port without
// persistence) and three demo server processes (`npm start -- --redis URL`), each on its own port:
// a topic (/broadcast) and a Godot 4 room (/room/NAME) spanning them, a process SIGKILLed
// mid-session, and Redis restarted mid-session.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdGreeting } from '../../src/multiplayer/godot4-greeting.js';
import { decodeSceneSystemPacket, encodeRelay, SceneSystemCommand } from '../../src/multiplayer/scene-multiplayer-packet.js';
import { until } from '../backplane/support/recorders.js';
import { RawClient } from '../multiplayer/support/raw-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a process and resolves once a line of its output matches `ready`. */
function start(command: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 60_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** What a Godot 4 client of a room sees: its id, the peers announced to it, the relayed packets. */
class RoomClient {
  id = 0;
  readonly peers = new Set<number>();
  readonly packets: Array<{ from: number; text: string }> = [];

  private constructor(readonly raw: RawClient) {}

  static async join(url: string): Promise<RoomClient> {
    const raw = await RawClient.connect(url);
    const client = new RoomClient(raw);
    await until(() => raw.received.length > 0, 'the id greeting');
    client.id = decodeIdGreeting(raw.received[0]!)!;
    return client;
  }

  /** Reads everything received so far into peers and packets. */
  update(): this {
    this.peers.clear();
    this.packets.length = 0;
    for (const message of this.raw.received.slice(1)) {
      const system = decodeSceneSystemPacket(message);
      if (system?.command === SceneSystemCommand.ADD_PEER) this.peers.add(system.peer);
      else if (system?.command === SceneSystemCommand.DEL_PEER) this.peers.delete(system.peer);
      else if (system?.command === SceneSystemCommand.RELAY) this.packets.push({ from: system.peer, text: system.payload.toString() });
    }
    return this;
  }
}

describe('the Redis backplane with redis-server and three gdws processes', () => {
  let redisPort: number;
  let redis: ChildProcess | undefined;
  const servers: Array<{ port: number; child: ChildProcess }> = [];
  const clients: RawClient[] = [];

  const startRedis = async (): Promise<void> => {
    redis = await start('/usr/bin/redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], /Ready to accept connections/);
  };

  beforeAll(async () => {
    redisPort = await freePort();
    await startRedis();
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      // `node --import tsx`, not the tsx command: its child would outlive a SIGKILL of the wrapper.
      const child = await start(process.execPath, ['--import', 'tsx', 'demo/server.ts', '--port', String(port), '--redis', `redis://127.0.0.1:${redisPort}`], /gdws demo listening/);
      servers.push({ port, child });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await Promise.all(servers.map(({ child }) => stop(child)));
    await stop(redis);
  });

  const broadcastClient = async (server: number): Promise<RawClient> => {
    const client = await RawClient.connect(`ws://127.0.0.1:${servers[server]!.port}/broadcast`);
    clients.push(client);
    return client;
  };

  it('a topic spans the processes, a Godot 4 room spans them with unique ids, a killed process\'s peers leave, and a Redis restart is survived', async () => {
    // Topic: one subscriber on each process; what one sends reaches the other two.
    const listeners = [await broadcastClient(0), await broadcastClient(1), await broadcastClient(2)];
    await until(() => {
      listeners[0]!.peer.sendText(`ping ${Date.now()}`);
      return listeners[1]!.received.length > 0 && listeners[2]!.received.length > 0;
    }, 'the broadcast reaches the other processes', 20_000);
    expect(listeners[0]!.received).toEqual([]);

    // Room: one Godot 4 client per process in room "arena".
    const members: RoomClient[] = [];
    for (const { port } of servers) {
      const member = await RoomClient.join(`ws://127.0.0.1:${port}/room/arena`);
      clients.push(member.raw);
      members.push(member);
    }
    const ids = members.map((member) => member.id);
    expect(new Set(ids).size).toBe(3);
    await until(() => members.every((member) => member.update().peers.size === 2), 'everyone sees the two others', 20_000);
    for (const member of members) expect([...member.peers].sort()).toEqual(ids.filter((id) => id !== member.id).sort());

    // Packets relayed across processes in order per sender.
    for (let i = 0; i < 50; i++) members[0]!.raw.send(encodeRelay(0, Buffer.from(`to all ${i}`)));
    members[0]!.raw.send(encodeRelay(ids[2]!, Buffer.from('to 2 only')));
    await until(() => members[1]!.update().packets.length === 50 && members[2]!.update().packets.length === 51, 'relayed packets', 20_000);
    expect(members[1]!.packets.map((packet) => packet.text)).toEqual(Array.from({ length: 50 }, (_, i) => `to all ${i}`));
    expect(members[2]!.packets.at(-1)).toEqual({ from: ids[0], text: 'to 2 only' });

    // Process 2 is killed: within the expiry (3 s) the others announce its member gone.
    await stop(servers[2]!.child, 'SIGKILL');
    await until(() => !members[0]!.update().peers.has(ids[2]!) && !members[1]!.update().peers.has(ids[2]!), 'DEL_PEER for the killed process\'s member', 20_000);

    // Redis restarts (empty): the room and the topic work again, and nobody was dropped.
    await stop(redis);
    await startRedis();
    const before = listeners[1]!.received.length;
    await until(() => {
      listeners[0]!.peer.sendText('after the restart');
      return listeners[1]!.received.length > before;
    }, 'the topic works after the restart', 30_000);
    const relayed = members[1]!.update().packets.length;
    await until(() => {
      members[0]!.raw.send(encodeRelay(0, Buffer.from('room after restart')));
      return members[1]!.update().packets.length > relayed;
    }, 'the room works after the restart', 30_000);
    expect(members[0]!.update().peers).toEqual(new Set([ids[1]]));
    expect(members[1]!.update().peers).toEqual(new Set([ids[0]]));
  }, 180_000);
});
