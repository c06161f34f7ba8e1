import { afterEach, describe, expect, it } from 'vitest';
import { GodotError } from '../../src/index.js';
import { nextEvent, sleep, waitUntil } from '../peer/support/waiting.js';
import { Cleanup, connectGdwsClient, startGdwsServer } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const MESSAGES = 10_000;
const MESSAGE_BYTES = 4096;
const MAX_QUEUED = 64;
/** Reading pauses at 64 queued messages; one socket read already under way (64 KiB) may still add its messages. */
const QUEUE_BOUND = MAX_QUEUED + 65_536 / MESSAGE_BYTES + 1;

function message(index: number): Buffer {
  const bytes = Buffer.alloc(MESSAGE_BYTES, index % 251);
  bytes.writeUInt32BE(index, 0);
  return bytes;
}

describe('backpressure', () => {
  it('a server that reads nothing stops reading from the socket, keeps its queue bounded, and loses nothing once it reads', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => {
      s.maxQueuedPackets = MAX_QUEUED;
      s.inboundBufferSize = 1 << 20;
    });
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const { peer: client } = await connectGdwsClient(cleanup, url);
    const [id] = await connected;
    const serverPeer = server.getPeer(id)!;

    let largestQueue = 0;
    let reading = false;
    const received: number[] = [];
    server.on('dataReceived', () => {
      largestQueue = Math.max(largestQueue, serverPeer.getAvailablePacketCount());
      if (reading) readAll();
    });
    const readAll = (): void => {
      while (serverPeer.getAvailablePacketCount() > 0) {
        const data = serverPeer.getPacket();
        expect(data.length).toBe(MESSAGE_BYTES);
        received.push(data.readUInt32BE(0));
      }
    };

    // The client sends as fast as its outbound buffer lets it, waiting whenever it is full.
    let sent = 0;
    let refusals = 0;
    const sending = (async () => {
      while (sent < MESSAGES && client.isConnectedToHost()) {
        const result = client.send(message(sent));
        if (result === GodotError.OK) sent++;
        else {
          expect(result).toBe(GodotError.ERR_OUT_OF_MEMORY);
          refusals++;
          await sleep(1);
        }
      }
    })();

    // Wait until the client is stuck: the server's queue is full and sending has stopped making progress.
    let lastSent = -1;
    let stillFor = 0;
    await waitUntil(
      () => {
        if (sent === lastSent && serverPeer.getAvailablePacketCount() >= MAX_QUEUED) stillFor++;
        else stillFor = 0;
        lastSent = sent;
        return stillFor >= 40 || sent === MESSAGES;
      },
      'the sender to stall',
      60_000,
    );
    expect(sent, 'every message went out although the server read none').toBeLessThan(MESSAGES);
    expect(serverPeer.getAvailablePacketCount()).toBeLessThanOrEqual(QUEUE_BOUND);
    expect(largestQueue).toBeLessThanOrEqual(QUEUE_BOUND);
    // The bytes are stuck on the client's side: its own buffer does not drain.
    expect(client.getCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
    expect(refusals).toBeGreaterThan(0);

    reading = true;
    readAll();
    await sending;
    await waitUntil(() => received.length === MESSAGES, `all ${MESSAGES} messages`, 60_000);
    expect(received.every((index, position) => index === position)).toBe(true);
    expect(largestQueue).toBeLessThanOrEqual(QUEUE_BOUND);
    expect(client.isConnectedToHost()).toBe(true);
  });
});
