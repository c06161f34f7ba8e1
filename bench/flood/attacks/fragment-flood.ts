import { ConnectionEnd } from '../connection-end.js';
import { describeProgress, floodWrites } from '../flood-writer.js';
import { maskedFrame, openConnection, repeated } from '../raw-handshake.js';
import type { Attack } from './attack.js';

/**
 * A binary message started with FIN=0 and never finished: continuation
 * frames of `size` bytes (1, or 0 for frames that carry nothing), as fast as
 * the socket takes them. The attacker reads, to see the close frame.
 */
export function fragmentFlood(size: 0 | 1): Attack {
  return async (config, started) => {
    const { socket } = await openConnection(config.port);
    const first = maskedFrame(0x02, Buffer.from([0x61]));
    const batch = repeated(maskedFrame(0x00, Buffer.alloc(size, 0x61)), size === 0 ? 10922 : 9362);
    const startedAt = performance.now();
    const end = new ConnectionEnd(socket, startedAt);
    socket.resume();
    started();
    socket.write(first);
    const progress = await floodWrites(socket, batch, startedAt, startedAt + config.seconds * 1000, () => end.dropped);
    const dropped = end.describe();
    socket.destroy();
    const frames = Math.round(progress.bytes / (size + 6));
    return { dropped, note: `${describeProgress(progress)} (~${(frames / 1e6).toFixed(1)} M frames)` };
  };
}
