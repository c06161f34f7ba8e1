import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, routeUpgrades, WebSocketMultiplayerPeer, WebSocketPeer, WebSocketServer, type AdmissionRequest } from '../../src/index.js';
import { RawSocket, upgradeRequest } from '../peer/support/raw-socket.js';
import { nextEvent } from '../peer/support/waiting.js';
import { Cleanup, startGdwsServer } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function connectPeer(url: string, protocols: string[] = []): Promise<{ peer: WebSocketPeer; result: GodotError }> {
  const peer = new WebSocketPeer();
  peer.supportedProtocols = protocols;
  cleanup.add(() => peer.close(-1));
  const result = await peer.connectToUrl(url);
  return { peer, result };
}

describe('the admission check (server.admit)', () => {
  it('sees the request before the 101, may be async, and what it attaches stays on the peer', async () => {
    const seen: AdmissionRequest[] = [];
    const admit = async (request: AdmissionRequest) => {
      seen.push(request);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { accept: true as const, data: { user: 'ada' } };
    };
    const { server, url } = await startGdwsServer(cleanup, (s) => (s.admit = admit), ['game']);
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const { peer, result } = await connectPeer(`${url}/play?token=t1`, ['game']);
    expect(result, peer.lastError?.message).toBe(GodotError.OK);
    const [id] = await connected;
    expect(server.getPeer(id)!.admission).toEqual({ user: 'ada' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ resource: '/play?token=t1', protocol: 'game', remoteAddress: '127.0.0.1' });
    expect(seen[0]!.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/play\?token=t1$/);
    expect(seen[0]!.headers.get('sec-websocket-protocol')).toBe('game');
  });

  it('refuses with the status, reason and headers it gives; the client learns why and the server reports it', async () => {
    const { server, port } = await startGdwsServer(cleanup, (s) => {
      s.admit = () => ({ accept: false, status: 401, reason: 'bad token', headers: ['WWW-Authenticate: Bearer'] });
    });
    const failed = nextEvent<[string, string]>(server, 'handshakeFailed');
    const raw = await RawSocket.connect(port);
    cleanup.add(() => raw.destroy());
    await raw.write(upgradeRequest().request);
    const head = await raw.readHead(true);
    expect(head.status).toBe(401);
    expect(head.headers.get('www-authenticate')).toBe('Bearer');
    expect(head.body).toBe('bad token\n');
    expect((await failed)[0]).toMatch(/401.*bad token/);
    expect(server.getPeerIds()).toEqual([]);
  });

  it('false refuses with 403; a check that throws or answers nonsense refuses with 500 and admits nobody', async () => {
    const verdicts: Array<() => unknown> = [() => false, () => { throw new Error('database down'); }, () => 'yes', () => ({ accept: false, status: 42 })];
    const statuses: number[] = [];
    for (const verdict of verdicts) {
      const { port } = await startGdwsServer(cleanup, (s) => (s.admit = verdict as never));
      const raw = await RawSocket.connect(port);
      cleanup.add(() => raw.destroy());
      await raw.write(upgradeRequest().request);
      statuses.push((await raw.readHead()).status);
    }
    expect(statuses).toEqual([403, 500, 500, 500]);
  });

  it('a check slower than the handshake timeout ends the connection, and admits nothing afterwards', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => {
      s.handshakeTimeout = 0.2;
      s.admit = () => new Promise((resolve) => setTimeout(() => resolve(true), 600));
    });
    const failed = nextEvent<[string, string]>(server, 'handshakeFailed');
    const { result } = await connectPeer(url);
    expect(result).not.toBe(GodotError.OK);
    expect((await failed)[0]).toMatch(/within 200 ms/);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(server.getPeerIds()).toEqual([]);
  });

  it('applies to upgrades from node:http (routeUpgrades) and to the Godot 4 multiplayer server', async () => {
    const plain = new WebSocketServer();
    plain.admit = (request) => request.resource.endsWith('ok');
    const godot4 = new WebSocketMultiplayerPeer();
    godot4.admit = (request) => ({ accept: request.headers.get('x-team') === 'blue', data: 'blue' });
    const http: Server = createServer();
    routeUpgrades(http, { '/mp': godot4 }, { fallback: plain });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanup.add(async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([plain.stop(), godot4.close()]);
    });
    const base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    expect((await connectPeer(`${base}/ok`)).result).toBe(GodotError.OK);
    expect((await connectPeer(`${base}/no`)).result).not.toBe(GodotError.OK);

    const joined = nextEvent<[number]>(godot4, 'peerConnected');
    const blue = new WebSocketPeer();
    blue.handshakeHeaders = ['X-Team: blue'];
    cleanup.add(() => blue.close(-1));
    expect(await blue.connectToUrl(`${base}/mp`)).toBe(GodotError.OK);
    const [id] = await joined;
    expect(godot4.getPeer(id)!.admission).toBe('blue');
    expect((await connectPeer(`${base}/mp`)).result).not.toBe(GodotError.OK);
  });
});
