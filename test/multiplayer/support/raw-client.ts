import { GodotError } from '../../../src/godot-error.js';
import { WebSocketPeer } from '../../../src/peer/websocket-peer.js';
import { until } from './events.js';

/**
 * A plain WebSocket connection that records every message it receives, to
 * check the exact bytes a multiplayer server sends and to send hand-made
 * (also rule-breaking) packets.
 */
export class RawClient {
  readonly peer = new WebSocketPeer();
  readonly received: Buffer[] = [];

  static async connect(url: string): Promise<RawClient> {
    const client = new RawClient();
    client.peer.on('dataReceived', () => {
      while (client.peer.getAvailablePacketCount() > 0) client.received.push(client.peer.getPacket());
    });
    const result = await client.peer.connectToUrl(url);
    if (result !== GodotError.OK) throw new Error(`RawClient could not connect to ${url}: ${client.peer.lastError?.message}`);
    return client;
  }

  /** Waits until `count` messages have arrived and returns them all. */
  async receivedAtLeast(count: number): Promise<Buffer[]> {
    await until(() => this.received.length >= count);
    return this.received;
  }

  send(bytes: Buffer): void {
    const result = this.peer.send(bytes);
    if (result !== GodotError.OK) throw new Error(`RawClient send failed: ${this.peer.lastError?.message}`);
  }

  async close(): Promise<void> {
    if (this.peer.getReadyState() === 3) return;
    const closed = new Promise((resolve) => this.peer.once('connectionClosed', resolve));
    this.peer.close();
    await closed;
  }
}

export function hex(...parts: string[]): Buffer {
  return Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex');
}

export function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value, 0);
  return bytes;
}
