import { connect } from 'node:net';
import type { Attack } from './attack.js';

/**
 * 3,000 upgrade requests with fuzzed request targets (broken IPv6 hosts,
 * bad ports, bad percent-escapes, random bytes) and otherwise valid upgrade
 * headers, 50 at a time. Counts who got an answer and with which status.
 */
const REQUESTS = 3000;
const PARALLEL = 50;
const FIXED_TARGETS = [
  'http://[',
  '//[',
  'http://a:99999/',
  'ws://%zz/',
  'http://[::1',
  '//%',
  '/%zz',
  'ws://a:-1/',
  'http://user@[/',
  '*',
  '',
  '//[::1]:99999999999999999999/',
  'ws://[fe80::1%25zz]/',
  '/?x=%E0%A4%A',
];

function randomTarget(random: () => number, anyByte: boolean): Buffer {
  const length = 1 + Math.floor(random() * 64);
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    let byte = Math.floor(random() * 256);
    if (!anyByte) while (byte === 0x20 || byte === 0x0d || byte === 0x0a) byte = Math.floor(random() * 256);
    bytes[i] = byte;
  }
  return bytes;
}

/** mulberry32: a seeded PRNG, so every run sends the same requests. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function request(port: number, target: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('GET ', 'latin1'),
    target,
    Buffer.from(
      ` HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ZnV6ei1iZW5jaC1rZXktMTI=\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      'latin1',
    ),
  ]);
}

/** The status line's code, "no answer", or the socket error. */
function sendOne(port: number, target: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const finish = (result: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(answer === '' ? 'no answer (1 s)' : answer), 1000);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const line = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      if (line !== null) finish(line[1]!);
      else if (answer.length > 64) finish('non-HTTP answer');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(answer === '' ? (error.code ?? 'error') : answer.slice(0, 12)));
    socket.on('end', () => finish(answer === '' ? 'closed, no answer' : answer.slice(0, 12)));
    socket.once('connect', () => socket.write(request(port, target)));
  });
}

export const malformedUpgrades: Attack = async (config, started) => {
  const random = seeded(13);
  const targets = Array.from({ length: REQUESTS }, (_, i) =>
    i % 2 === 0 ? Buffer.from(FIXED_TARGETS[(i / 2) % FIXED_TARGETS.length]!, 'latin1') : randomTarget(random, i % 4 === 3),
  );
  const startedAt = performance.now();
  const deadline = startedAt + config.seconds * 1000;
  started();
  const outcomes = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length && performance.now() < deadline) {
      const outcome = await sendOne(config.port, targets[next++]!);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const answered = [...outcomes].filter(([outcome]) => /^\d{3}$/.test(outcome)).reduce((sum, [, count]) => sum + count, 0);
  const breakdown = [...outcomes]
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, count]) => `${outcome}×${count}`)
    .join(', ');
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  return { dropped: `${answered}/${next} answered (${breakdown})`, note: `${next} of ${REQUESTS} requests sent in ${seconds} s` };
};
