import { EventEmitter } from 'node:events';
import { GodotError } from '../../../src/godot-error.js';
import { ConnectionStatus } from '../../../src/multiplayer/connection-status.js';
import type { Godot3ApiPeer } from '../../../src/multiplayer/scene/godot3-api-types.js';

/**
 * A Godot 3 style server MultiplayerPeer without sockets: tests push packets
 * "from" clients with `receive` and read what the server put with `sent`.
 */
export class FakeGodot3Peer extends EventEmitter implements Godot3ApiPeer {
  readonly sent: Array<{ target: number; data: Buffer }> = [];
  readonly peers = new Set<number>();
  lastError: { message: string } | null = null;
  allowObjectDecoding = false;
  private readonly queue: Array<{ from: number; data: Buffer }> = [];
  private target = 0;

  join(id: number): void {
    this.peers.add(id);
    this.emit('peerConnected', id);
  }

  leave(id: number): void {
    this.peers.delete(id);
    this.emit('peerDisconnected', id);
  }

  receive(from: number, data: Uint8Array): void {
    this.queue.push({ from, data: Buffer.from(data) });
    this.emit('peerPacket', from);
  }

  /** Packets sent since the last call. */
  take(): Array<{ target: number; data: Buffer }> {
    return this.sent.splice(0);
  }

  getAvailablePacketCount(): number {
    return this.queue.length;
  }
  getPacketPeer(): number {
    return this.queue[0]?.from ?? 1;
  }
  getPacket(): Buffer {
    return this.queue.shift()?.data ?? Buffer.alloc(0);
  }
  getTargetPeer(): number {
    return this.target;
  }
  setTargetPeer(id: number): void {
    this.target = id;
  }
  putPacket(data: Uint8Array): GodotError {
    this.sent.push({ target: this.target, data: Buffer.from(data) });
    return GodotError.OK;
  }
  getPeerIds(): number[] {
    return [...this.peers];
  }
  disconnectPeer(id: number): GodotError {
    this.leave(id);
    return GodotError.OK;
  }
  getConnectionStatus(): ConnectionStatus {
    return ConnectionStatus.CONNECTED;
  }
  isServer(): boolean {
    return true;
  }
}
