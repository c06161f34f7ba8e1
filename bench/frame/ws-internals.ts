import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * ws's own building blocks, loaded from its lib/ folder (its package exports
 * hide them). With bufferutil installed, ws masks natively; on Node 20 its
 * UTF-8 check is node:buffer's isUtf8 for 24 bytes and more.
 */
const require = createRequire(import.meta.url);
const wsLib = join(dirname(require.resolve('ws')), 'lib');

interface WsReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer): boolean;
}

interface WsFrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

export const WsReceiver = require(join(wsLib, 'receiver.js')) as new (options: {
  isServer: boolean;
  maxPayload: number;
}) => WsReceiver;

export const WsSender = require(join(wsLib, 'sender.js')) as { frame(data: Buffer, options: WsFrameOptions): Buffer[] };

export const wsBufferUtil = require(join(wsLib, 'buffer-util.js')) as {
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
  unmask(buffer: Buffer, mask: Buffer): void;
  concat(list: Buffer[], totalLength: number): Buffer;
};

export const wsValidation = require(join(wsLib, 'validation.js')) as { isValidUTF8(buffer: Buffer): boolean };

/** Whether ws found its native masking addon, so the comparison is against its fastest path. */
export function wsUsesBufferutil(): boolean {
  try {
    require.resolve('bufferutil');
    return true;
  } catch {
    return false;
  }
}
