import { ConnectionEnd } from '../connection-end.js';
import { describeProgress, floodWrites, sleep } from '../flood-writer.js';
import { maskedFrame, openConnection, repeated } from '../raw-handshake.js';
import type { Attack } from './attack.js';

/**
 * Ping flood from a peer that never reads: `89 fd` + mask + 125 bytes, as
 * fast as the socket takes them, with the socket paused, so every pong the
 * server answers with piles up on the server's side.
 */
export const pingFlood: Attack = async (config, started) => {
  const { socket } = await openConnection(config.port);
  const batch = repeated(maskedFrame(0x89, Buffer.alloc(125, 0x70)), 512);
  const startedAt = performance.now();
  const end = new ConnectionEnd(socket, startedAt);
  started();
  const progress = await floodWrites(socket, batch, startedAt, startedAt + config.seconds * 1000);
  // Only now read what came back, for a close frame behind the pongs.
  if (!socket.destroyed) {
    socket.resume();
    await sleep(1000);
  }
  const dropped = end.describe();
  socket.destroy();
  return { dropped, note: describeProgress(progress) };
};
