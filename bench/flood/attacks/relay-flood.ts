import { ConnectionEnd } from '../connection-end.js';
import { describeProgress, floodWrites } from '../flood-writer.js';
import { Godot4Client } from '../godot4-client.js';
import { maskedFrame, openConnection, repeated } from '../raw-handshake.js';
import type { Attack } from './attack.js';

/**
 * A Godot 4 multiplayer client flooding the relay with 1,000-byte packets in
 * relay envelopes: to everyone else (target 0), or to one peer (the sink,
 * which never reads). It reads what it receives (peer notices), to see a close.
 */
export function relayFlood(to: 'all' | 'peer'): Attack {
  return async (config, started) => {
    const target = to === 'all' ? 0 : config.target ?? 0;
    const { socket, rest } = await openConnection(config.port);
    const packet = Godot4Client.relayPacket(target, Buffer.alloc(994, 0x2a));
    const batch = repeated(maskedFrame(0x82, packet), 64);
    const startedAt = performance.now();
    const end = new ConnectionEnd(socket, startedAt);
    end.reader.push(rest);
    socket.resume();
    started();
    const progress = await floodWrites(socket, batch, startedAt, startedAt + config.seconds * 1000, () => end.dropped);
    const dropped = end.describe();
    socket.destroy();
    return { dropped, note: `${describeProgress(progress)} (~${Math.round(progress.bytes / 1010 / 1000)} k packets to ${target === 0 ? 'all' : 'one peer'})` };
  };
}
