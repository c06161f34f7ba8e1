import { expect } from 'vitest';
import { GodotError } from '../../../src/godot-error.js';
import { Inbox } from './inbox.js';

/** The multiplayer calls these checks make, alike in the Godot 3 and Godot 4 APIs. */
interface PacketPeer {
  on(event: 'peerPacket', listener: (source: number) => void): unknown;
  once(event: 'peerPacket', listener: (source: number) => void): unknown;
  getPacketPeer(): number;
  getPacket(): Buffer;
  getAvailablePacketCount(): number;
}

interface SendingClient extends PacketPeer {
  getUniqueId(): number;
  setTargetPeer(id: number): void;
  putPacket(packet: Buffer): GodotError;
}

/**
 * Client a sends to each kind of target (one client, everyone, everyone but one,
 * -1 for every client but not the server, the server only), each followed by a
 * fence to everyone, and checks who received what before the fence.
 */
export async function expectRelaysByTarget(server: PacketPeer & { readonly droppedPacketCount: number }, [a, b, c]: readonly [SendingClient, SendingClient, SendingClient]): Promise<void> {
  const [A, B, C] = [a, b, c].map((client) => client.getUniqueId()) as [number, number, number];
  const serverInbox = new Inbox(server);
  const inboxB = new Inbox(b);
  const inboxC = new Inbox(c);
  const send = (to: number, text: string): void => {
    a.setTargetPeer(to);
    expect(a.putPacket(Buffer.from(text))).toBe(GodotError.OK);
  };
  const fence = async (marker: string): Promise<Array<Array<[number, string]>>> => {
    send(0, marker);
    return Promise.all([serverInbox.until(marker), inboxB.until(marker), inboxC.until(marker)]);
  };

  send(B, 'to B');
  expect(await fence('fence 1')).toEqual([[], [[A, 'to B']], []]);
  send(0, 'to all');
  expect(await fence('fence 2')).toEqual([[[A, 'to all']], [[A, 'to all']], [[A, 'to all']]]);
  send(-B, 'all but B');
  expect(await fence('fence 3')).toEqual([[[A, 'all but B']], [], [[A, 'all but B']]]);
  send(-1, 'all but the server');
  expect(await fence('fence 4')).toEqual([[], [[A, 'all but the server']], [[A, 'all but the server']]]);
  send(1, 'server only');
  expect(await fence('fence 5')).toEqual([[[A, 'server only']], [], []]);
  send(-C, 'all but C');
  expect(await fence('fence 6')).toEqual([[[A, 'all but C']], [[A, 'all but C']], []]);
  expect(server.droppedPacketCount).toBe(0);
}

/** Sends `text` from one client to another and waits for it; what the receiver got before it, as [source, text]. */
export function relayText(from: SendingClient, to: SendingClient, text: string): Promise<Array<[number, string]>> {
  const inbox = new Inbox(to);
  from.setTargetPeer(to.getUniqueId());
  from.putPacket(Buffer.from(text));
  return inbox.until(text);
}

/**
 * Reads `count` packets as [source, text], each only once it is queued: unlike an
 * Inbox, it leaves packets unread until then, so the queue can fill up to its limit.
 */
export async function readPackets(peer: PacketPeer, count: number): Promise<Array<[number, string]>> {
  const packets: Array<[number, string]> = [];
  while (packets.length < count) {
    if (peer.getAvailablePacketCount() === 0) {
      await new Promise((resolve) => peer.once('peerPacket', resolve));
      continue;
    }
    const source = peer.getPacketPeer();
    packets.push([source, peer.getPacket().toString()]);
  }
  return packets;
}
