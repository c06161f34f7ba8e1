// The demo game (demo/game.ts) in the running demo: fake Godot 4 (/game4) and Godot 3 (/game3)
// clients that speak each engine's bytes join one lobby, chat, move and leave.

import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeGodot3RemoteCall, encodeGodot3RemoteCall } from '../../src/multiplayer/scene/godot3-api-packet.js';
import { decodeRemoteCall, encodeRemoteCall } from '../../src/multiplayer/scene/scene-packet.js';
import { encodeGodot3Packet, Godot3PacketType } from '../../src/multiplayer/godot3-packet.js';
import { Vector2, type Variant } from '../../src/variant/index.js';
import { interruptDemo, useDemoLauncher } from './support/demo-process.js';

const launcher = useDemoLauncher();
// Godot 4 numbers the node's @rpc methods by sorted name (the GDScript on the demo page).
const METHODS4 = ['chat', 'join', 'lobby', 'move', 'moved', 'say'];

interface Call {
  name: string;
  args: Variant[];
}

interface FakeClient {
  socket: WebSocket;
  id: number;
  calls: Call[];
  call(name: string, ...args: Variant[]): void;
  rset?(name: string, value: Variant): void;
}

async function open(url: string): Promise<{ socket: WebSocket; inbox: Buffer[] }> {
  const socket = new WebSocket(url);
  const inbox: Buffer[] = [];
  socket.on('message', (data) => inbox.push(data as Buffer));
  await once(socket, 'open');
  return { socket, inbox };
}

/** A Godot 4 SceneMultiplayer client: id greeting, then rpcs by node path to peer 1. */
async function godot4(port: number): Promise<FakeClient> {
  const { socket, inbox } = await open(`ws://127.0.0.1:${port}/game4`);
  await expect.poll(() => inbox.length).toBeGreaterThan(0);
  const id = inbox[0]!.readInt32LE(0);
  const client: FakeClient = {
    socket,
    id,
    get calls() {
      return inbox.slice(1).flatMap((packet) => {
        const call = decodeRemoteCall(packet);
        return 'methodId' in call ? [{ name: METHODS4[call.methodId]!, args: [...call.args] }] : [];
      });
    },
    call: (name, ...args) => socket.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: METHODS4.indexOf(name), args })),
  };
  return client;
}

/** A Godot 3 MultiplayerAPI client over gd_mp_api: 9-byte headers, rpcs and rsets by name. */
async function godot3(port: number): Promise<FakeClient> {
  const { socket, inbox } = await open(`ws://127.0.0.1:${port}/game3`);
  await expect.poll(() => inbox.length).toBeGreaterThan(0);
  const id = inbox[0]!.readInt32LE(9); // SYS_ID
  const send = (set: boolean, name: string, args: Variant[]): void => {
    socket.send(encodeGodot3Packet(Godot3PacketType.SYS_NONE, id, 1, encodeGodot3RemoteCall({ set, node: { path: 'Main' }, name, args })));
  };
  return {
    socket,
    id,
    get calls() {
      return inbox.flatMap((packet) => {
        if (packet[0] !== Godot3PacketType.SYS_NONE) return [];
        const call = decodeGodot3RemoteCall(packet.subarray(9));
        return 'name' in call ? [{ name: call.name, args: [...call.args] }] : [];
      });
    },
    call: (name, ...args) => send(false, name, args),
    rset: (name, value) => send(true, name, [value]),
  };
}

describe('demo game (/game4 and /game3)', () => {
  it('puts Godot 4 and Godot 3 players in one lobby: join, chat, move, leave, with counts at /status', async () => {
    const { process: demo, port } = await launcher.start();
    const ada = await godot4(port);
    ada.call('join', 'ada');
    await expect.poll(() => ada.calls).toContainEqual({ name: 'lobby', args: [['ada (Godot 4)']] });
    const bob = await godot3(port);
    bob.call('join', 'bob');
    const lobby = { name: 'lobby', args: [['ada (Godot 4)', 'bob (Godot 3)']] };
    await expect.poll(() => ada.calls).toContainEqual(lobby);
    await expect.poll(() => bob.calls).toContainEqual(lobby);
    expect(ada.calls).toContainEqual({ name: 'chat', args: ['server', 'bob joined from Godot 3'] });

    bob.call('say', 'hi from Godot 3');
    ada.call('say', 'hi from Godot 4');
    for (const client of [ada, bob]) {
      await expect.poll(() => client.calls).toContainEqual({ name: 'chat', args: ['bob', 'hi from Godot 3'] });
      await expect.poll(() => client.calls).toContainEqual({ name: 'chat', args: ['ada', 'hi from Godot 4'] });
    }
    ada.call('move', new Vector2(3, 4));
    bob.rset!('position', new Vector2(-1, 2.5));
    await expect.poll(() => bob.calls).toContainEqual({ name: 'moved', args: ['ada', new Vector2(3, 4)] });
    await expect.poll(() => ada.calls).toContainEqual({ name: 'moved', args: ['bob', new Vector2(-1, 2.5)] });
    // Bad input is ignored, not echoed: a move without a Vector2 and an rpc the client may not call.
    ada.call('move', 'not a vector');
    bob.call('chat', 'bob', 'forged');

    const counts = async (): Promise<unknown> => (await fetch(`http://127.0.0.1:${port}/status`)).json();
    await expect.poll(counts).toMatchObject({ game4: 1, game3: 1 });
    bob.socket.close();
    await expect.poll(() => ada.calls).toContainEqual({ name: 'chat', args: ['server', 'bob left'] });
    await expect.poll(() => ada.calls.at(-1)).toEqual({ name: 'lobby', args: [['ada (Godot 4)']] });
    // Everyone, the mover included, gets the authoritative positions; the bad move is not among them.
    expect(ada.calls.filter((call) => call.name === 'moved').map((call) => call.args[0])).toEqual(['ada', 'bob']);
    expect(ada.calls.some((call) => call.args.includes('forged'))).toBe(false);
    await expect.poll(counts).toMatchObject({ game4: 1, game3: 0 });
    ada.socket.close();
    expect(await interruptDemo(demo)).toBe(0);
  });
});
