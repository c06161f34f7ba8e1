import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseDemoOptions } from '../../demo/options.js';
import { useDemoLauncher } from './support/demo-process.js';

const launcher = useDemoLauncher();

describe('demo server with --deflate (npm start -- --deflate)', () => {
  it('parses the flag, off by default', () => {
    expect(parseDemoOptions([], {}).deflate).toBe(false);
    expect(parseDemoOptions(['--deflate'], {}).deflate).toBe(true);
  });

  it('negotiates permessage-deflate with a client that offers it and echoes through it', async () => {
    const { port, banner } = await launcher.start(['--deflate']);
    expect(banner).toContain('permessage-deflate on');
    const socket = new WebSocket(`ws://127.0.0.1:${port}/echo`, { perMessageDeflate: { threshold: 0 } });
    await once(socket, 'open');
    expect(socket.extensions).toBe('permessage-deflate');
    const text = 'compress me '.repeat(500);
    socket.send(text);
    const [data, isBinary] = (await once(socket, 'message')) as [Buffer, boolean];
    expect([isBinary, data.toString()]).toEqual([false, text]);
    socket.close(1000);
    await once(socket, 'close');
  });

  it('stays uncompressed without the flag', async () => {
    const { port } = await launcher.start([]);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/echo`, { perMessageDeflate: true });
    await once(socket, 'open');
    expect(socket.extensions).toBe('');
    socket.close(1000);
    await once(socket, 'close');
  });
});
