import { once } from 'node:events';
import { expect } from 'vitest';
import type WebSocket from 'ws';

/**
 * Waits for `socket` to open, sends `text` and then the binary message "bytes",
 * waits for two replies and closes; the replies as [isBinary, content], in order.
 */
export async function echoTextAndBinary(socket: WebSocket, text: string): Promise<Array<[boolean, string]>> {
  await once(socket, 'open');
  const replies: Array<[boolean, string]> = [];
  socket.on('message', (data, isBinary) => replies.push([isBinary, String(data)]));
  socket.send(text);
  socket.send(Buffer.from('bytes'));
  await expect.poll(() => replies.length).toBe(2);
  socket.close(1000);
  await once(socket, 'close');
  return replies;
}
