import fc from 'fast-check';
import { connect } from 'node:net';

/** Request targets that have broken `new URL()`-based routing, plus the ordinary ones. */
export const NOTORIOUS_TARGETS = ['http://[', '//[', 'http://a:99999/', 'ws://%zz/', '/%zz', 'http://[::1', '*', '', ' ', '/?', 'ws://x', '/godot4?x=%', '/\u00ff'];

const tokenChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&\'*+.^`|~'.split(''));
const anyLatin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)), maxLength: 60 });

/** An HTTP request head, sometimes well formed, sometimes not, always with the upgrade headers a router looks at. */
export const hostileRequestArbitrary = fc
  .record({
    method: fc.oneof(fc.constant('GET'), fc.string({ unit: tokenChar, minLength: 1, maxLength: 8 })),
    target: fc.oneof(fc.constantFrom(...NOTORIOUS_TARGETS), fc.webUrl(), fc.webPath(), anyLatin1),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/1.1x', ''),
    headers: fc.array(fc.tuple(fc.oneof(fc.constantFrom('Host', 'Upgrade', 'Connection', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions'), fc.string({ unit: tokenChar, minLength: 1, maxLength: 12 })), anyLatin1), { maxLength: 6 }),
    tail: fc.uint8Array({ maxLength: 40 }),
  })
  .map(({ method, target, version, headers, tail }) => {
    const lines = [`${method} ${target} ${version}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Host: 127.0.0.1', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];
    for (const [name, value] of headers) lines.push(`${name}: ${value}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), tail]);
  });

/**
 * Sends `request` on a new connection and resolves with what came back once
 * the server answered (any bytes) or closed; rejects if neither happens in time.
 */
export function sendRawRequest(port: number, request: Buffer, timeoutMs = 8000): Promise<{ response: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response and no close within ${timeoutMs} ms to ${JSON.stringify(request.toString('latin1').slice(0, 80))}`));
    }, timeoutMs);
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
      if (response.includes('\r\n\r\n')) finish(false);
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
    socket.write(request);
  });
}
