import { afterEach, describe, expect, it } from 'vitest';
import { defaultEventLoopIo } from '../../src/peer/event-loop-io.js';
import { FRAMES_PER_TURN } from '../../src/peer/websocket-peer.js';
import { rawWebSocketClient } from '../peer/support/raw-socket.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { clientFrame, Op } from '../peer/support/wire.js';
import { Cleanup, startGdwsServer } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('work per socket per turn of the event loop', () => {
  it(`decodes at most ${FRAMES_PER_TURN} frames of one socket per turn; the rest arrives, in order, in later turns`, async () => {
    const { server, port } = await startGdwsServer(cleanup);
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const raw = await rawWebSocketClient(port);
    cleanup.add(() => raw.destroy());
    const [id] = await connected;
    const peer = server.getPeer(id)!;

    const perTurn = new Map<number, number>();
    const received: string[] = [];
    server.on('dataReceived', () => {
      const turn = defaultEventLoopIo.clock.now();
      perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
      while (peer.getAvailablePacketCount() > 0) received.push(peer.getPacket().toString());
    });
    // 10,000 frames in one write: the kernel hands them over in a few large reads.
    const count = 10_000;
    await raw.write(Buffer.concat(Array.from({ length: count }, (_, i) => clientFrame(Op.TEXT, String(i)))));
    await waitUntil(() => received.length === count, `${count} messages`, 30_000);

    expect(received).toEqual(Array.from({ length: count }, (_, i) => String(i)));
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(FRAMES_PER_TURN);
    expect(perTurn.size).toBeGreaterThanOrEqual(Math.ceil(count / FRAMES_PER_TURN));
  });

  it('a second connection is served while one peer floods', async () => {
    const { server, port } = await startGdwsServer(cleanup);
    const ids: number[] = [];
    server.on('clientConnected', (id) => ids.push(id));
    const flooder = await rawWebSocketClient(port);
    const probe = await rawWebSocketClient(port);
    cleanup.add(() => flooder.destroy());
    cleanup.add(() => probe.destroy());
    await waitUntil(() => ids.length === 2, 'both connections');
    const [flooderId, probeId] = ids as [number, number];
    const turnsOf = new Map<number, Set<number>>([[flooderId, new Set()], [probeId, new Set()]]);
    server.on('dataReceived', (id) => {
      turnsOf.get(id)!.add(defaultEventLoopIo.clock.now());
      const peer = server.getPeer(id)!;
      while (peer.getAvailablePacketCount() > 0) peer.getPacket();
    });
    let flooderMessages = 0;
    server.on('dataReceived', (id) => {
      if (id === flooderId) flooderMessages++;
    });

    // 50,000 frames from the flooder, then one message from the probe: it is read before the flood is over.
    const flood = Buffer.concat(Array.from({ length: 50_000 }, () => clientFrame(Op.BINARY, 'x')));
    void flooder.write(flood).catch(() => {});
    await waitUntil(() => flooderMessages > 0, 'the flood to start');
    await probe.write(clientFrame(Op.TEXT, 'probe'));
    await waitUntil(() => turnsOf.get(probeId)!.size > 0, 'the probe message', 30_000);
    const probeTurn = [...turnsOf.get(probeId)!][0]!;
    expect(flooderMessages).toBeLessThan(50_000);
    expect([...turnsOf.get(flooderId)!].some((turn) => turn > probeTurn)).toBe(true);
  });
});
