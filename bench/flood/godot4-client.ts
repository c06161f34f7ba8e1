import type { Socket } from 'node:net';
import { FrameReader } from './frame-reader.js';
import { maskedFrame, openConnection } from './raw-handshake.js';

/**
 * A fake Godot 4 multiplayer client on a raw socket (wire format:
 * /work/shared/godot-multiplayer-wire.md, section 2): the server's first
 * message is our id (int32 LE); after that every binary message is a
 * MultiplayerAPI packet, and `07 03 <peer int32> <packet>` is a relay
 * envelope (to the server: the target; from the server: the source).
 */
export class Godot4Client {
  onPacket: (packet: Buffer) => void = () => {};
  lostAt: number | null = null;

  private constructor(
    readonly socket: Socket,
    readonly id: number,
  ) {}

  /** Joins and waits for the id greeting; `read: false` leaves the socket paused afterwards (a peer that never reads). */
  static join(port: number, read = true): Promise<Godot4Client> {
    return openConnection(port, { path: '/' }).then(
      ({ socket, rest }) =>
        new Promise((resolve, reject) => {
          let client: Godot4Client | null = null;
          const timer = setTimeout(() => {
            socket.destroy();
            reject(new Error('no id greeting within 5 s'));
          }, 5000);
          const reader = new FrameReader((opcode, _fin, payload) => {
            if (opcode === 0x9) socket.write(maskedFrame(0x8a, payload));
            if (opcode !== 0x1 && opcode !== 0x2) return;
            if (client !== null) {
              client.onPacket(payload);
              return;
            }
            clearTimeout(timer);
            if (payload.length !== 4) {
              socket.destroy();
              reject(new Error(`first message is not a 4-byte id (${payload.length} bytes)`));
              return;
            }
            client = new Godot4Client(socket, payload.readInt32LE(0));
            if (!read) socket.pause();
            resolve(client);
          });
          socket.on('data', (chunk: Buffer) => reader.push(chunk));
          socket.on('error', () => {});
          socket.on('close', () => {
            if (client !== null) client.lostAt ??= performance.now();
          });
          reader.push(rest);
          socket.resume();
        }),
    );
  }

  /** A relay envelope for `target` (0 = everyone but us). */
  static relayPacket(target: number, packet: Buffer): Buffer {
    const envelope = Buffer.allocUnsafe(6 + packet.length);
    envelope[0] = 0x07;
    envelope[1] = 0x03;
    envelope.writeInt32LE(target, 2);
    packet.copy(envelope, 6);
    return envelope;
  }

  send(packet: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(maskedFrame(0x82, packet));
  }

  close(): void {
    this.socket.destroy();
  }
}
