import { afterEach, describe, expect, it } from 'vitest';
import { createEchoServer } from '../../demo/echo.js';
import { GodotError } from '../../src/index.js';
import { rawWebSocketClient } from '../peer/support/raw-socket.js';
import { clientFrame, Op } from '../peer/support/wire.js';
import { Cleanup } from '../server/support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe("the demo's echo", () => {
  it('holds back instead of dropping when replies do not fit: a client that sends 4 MiB before reading gets every echo, in order', async () => {
    const echo = createEchoServer();
    // A small outbound buffer makes the echo wait for the client early and often.
    echo.outboundBufferSize = 8 * 1024;
    echo.bindIp = '127.0.0.1';
    expect(await echo.listen(0)).toBe(GodotError.OK);
    cleanup.add(() => echo.stop());
    const raw = await rawWebSocketClient(echo.getListeningPort());
    cleanup.add(() => raw.destroy());
    raw.socket.pause();

    const count = 4096;
    const message = (i: number): string => `${String(i).padStart(6, '0')}${'.'.repeat(1018)}`;
    void raw.write(Buffer.concat(Array.from({ length: count }, (_, i) => clientFrame(Op.TEXT, message(i))))).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 500));
    raw.socket.resume();
    await raw.until(() => raw.frames.length >= count, `${count} echoes`, 30_000);
    expect(raw.frames.every((frame, i) => frame.opcode === Op.TEXT && frame.payload.toString() === message(i))).toBe(true);
  });
});
