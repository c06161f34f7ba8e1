import { GodotError, ReadyState, WriteMode, type WebSocketServer } from '../../src/index.js';

/**
 * An echo on a gdws WebSocketServer that applies backpressure: it takes a
 * packet only while `send` accepts them. When `send` refuses (outbound
 * buffer or queue full), the packet is held and retried every 10 ms, and no
 * further packets are taken meanwhile, so the peer's inbound queue fills and
 * gdws stops reading its socket: a client that does not read its echoes is
 * slowed down instead of growing the server's memory.
 */
export function echoWithBackpressure(server: WebSocketServer): void {
  const held = new Map<number, { data: Buffer; mode: WriteMode }>();
  let retryTimer: NodeJS.Timeout | null = null;

  const retryLater = (): void => {
    retryTimer ??= setTimeout(() => {
      retryTimer = null;
      for (const id of [...held.keys()]) pump(id);
    }, 10);
  };

  const pump = (id: number): void => {
    const peer = server.getPeer(id);
    if (peer === undefined || peer.getReadyState() !== ReadyState.OPEN) {
      held.delete(id);
      return;
    }
    const waiting = held.get(id);
    if (waiting !== undefined) {
      if (peer.send(waiting.data, waiting.mode) !== GodotError.OK) {
        retryLater();
        return;
      }
      held.delete(id);
    }
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      const mode = peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY;
      if (peer.send(data, mode) !== GodotError.OK) {
        if (peer.getReadyState() !== ReadyState.OPEN) return;
        held.set(id, { data, mode });
        retryLater();
        return;
      }
    }
  };

  server.on('dataReceived', (id) => {
    if (!held.has(id)) pump(id);
  });
  server.on('clientDisconnected', (id) => held.delete(id));
}
