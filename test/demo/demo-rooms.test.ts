import { describe, expect, it } from 'vitest';
import { GodotError, WebSocketClient, WebSocketMultiplayerPeer } from '../../src/index.js';
import { until } from '../multiplayer/support/events.js';
import { interruptDemo, useDemoLauncher } from './support/demo-process.js';

const launcher = useDemoLauncher();

describe('the demo hosts multiplayer rooms', () => {
  it('/room/NAME (Godot 4) and /room3/NAME (Godot 3) are separate sessions, listed with their members at /status', async () => {
    const { process: demo, port } = await launcher.start();
    const base = `ws://127.0.0.1:${port}`;
    const clients: WebSocketMultiplayerPeer[] = [];
    const join4 = async (room: string): Promise<WebSocketMultiplayerPeer> => {
      const client = new WebSocketMultiplayerPeer();
      clients.push(client);
      expect(await client.createClient(`${base}/room/${room}`)).toBe(GodotError.OK);
      return client;
    };
    const red1 = await join4('red');
    const red2 = await join4('red');
    const blue = await join4('blue');
    const godot3 = new WebSocketClient();
    expect(await godot3.connectToUrl(`${base}/room3/green`, [], true)).toBe(GodotError.OK);
    await until(() => red1.getAnnouncedPeers().length === 1);
    expect(red1.getAnnouncedPeers()).toEqual([red2.getUniqueId()]);
    expect(blue.getAnnouncedPeers()).toEqual([]);
    const rooms = async (): Promise<unknown> => ((await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { rooms: unknown }).rooms;
    await expect.poll(rooms).toEqual([
      { name: 'red', kind: 'godot4', localPeers: 2, remotePeers: 0 },
      { name: 'blue', kind: 'godot4', localPeers: 1, remotePeers: 0 },
      { name: 'green', kind: 'godot3', localPeers: 1, remotePeers: 0 },
    ]);
    // Other paths still echo.
    const echo = new WebSocketClient();
    expect(await echo.connectToUrl(`${base}/roomy`)).toBe(GodotError.OK);
    echo.getPeer(1)!.sendText('hi');
    await until(() => echo.getPeer(1)!.getAvailablePacketCount() === 1);
    expect(echo.getPeer(1)!.getPacket().toString()).toBe('hi');
    await Promise.all(clients.map((client) => client.close()));
    godot3.disconnectFromHost();
    echo.disconnectFromHost();
    await expect.poll(rooms).toEqual([]);
    expect(await interruptDemo(demo)).toBe(0);
  });
});
