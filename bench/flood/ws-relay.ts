import { randomInt } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The comparison for gdws's Godot 4 relay: the same wire behaviour written
 * minimally on ws with its defaults (no backpressure, no limits beyond ws's
 * own). Each client gets a random id (4-byte greeting), ADD_PEER/DEL_PEER
 * notices (`07 01 id` / `07 02 id`), and `07 03 <target> <packet>` envelopes
 * are forwarded as `07 03 <source> <packet>` to the target, to everyone else
 * (0) or to everyone but the sender and -target (< 0). Packets for the
 * server itself are dropped.
 */
export function startWsRelay(port: number, onListening: (port: number) => void): WebSocketServer {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  const peers = new Map<number, WebSocket>();
  const notice = (command: number, id: number): Buffer => {
    const packet = Buffer.allocUnsafe(6);
    packet[0] = 0x07;
    packet[1] = command;
    packet.writeInt32LE(id, 2);
    return packet;
  };

  server.on('connection', (socket) => {
    let id = randomInt(2, 0x7fffffff);
    while (peers.has(id)) id = randomInt(2, 0x7fffffff);
    const greeting = Buffer.allocUnsafe(4);
    greeting.writeInt32LE(id, 0);
    socket.send(greeting);
    for (const [other, otherSocket] of peers) {
      otherSocket.send(notice(1, id));
      socket.send(notice(1, other));
    }
    peers.set(id, socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      peers.delete(id);
      for (const otherSocket of peers.values()) otherSocket.send(notice(2, id));
    });
    socket.on('message', (data) => {
      const packet = data as Buffer;
      if (packet.length < 6 || (packet[0]! & 0x07) !== 0x07 || packet[1] !== 0x03) return;
      const target = packet.readInt32LE(2);
      const relayed = Buffer.from(packet);
      relayed.writeInt32LE(id, 2);
      if (target > 0) {
        peers.get(target)?.send(relayed);
        return;
      }
      for (const [other, otherSocket] of peers) {
        if (other !== id && other !== -target) otherSocket.send(relayed);
      }
    });
  });
  server.on('listening', () => onListening((server.address() as { port: number }).port));
  return server;
}
