import { ReadyState } from './ready-state.js';
import type { WebSocketPeer } from './websocket-peer.js';

/** A peer's messages as they arrive, for `for await`; ends when the connection closes (or never opens). */
export async function* receivedMessages(peer: WebSocketPeer): AsyncGenerator<{ data: Buffer; isText: boolean }> {
  while (true) {
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      yield { data, isText: peer.wasStringPacket() };
    }
    if (peer.getReadyState() === ReadyState.CLOSED) return;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        peer.off('dataReceived', wake);
        peer.off('connectionClosed', wake);
        peer.off('connectionError', wake);
        resolve();
      };
      peer.on('dataReceived', wake);
      peer.on('connectionClosed', wake);
      peer.on('connectionError', wake);
    });
  }
}
