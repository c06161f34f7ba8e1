import { isValidUtf8 } from '../frame/index.js';
import { WriteMode } from './ready-state.js';

/**
 * The bytes `send(data, mode)` puts on the wire, or why it cannot (a string):
 * text must be valid UTF-8. No object per message: `send` is the hot path.
 */
export function outgoingBytes(data: unknown, isText: boolean, mode: WriteMode | undefined): Uint8Array | string {
  if (!isText && mode !== undefined && mode !== WriteMode.BINARY) return `Unknown write mode ${String(mode)}`;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (!(data instanceof Uint8Array)) return 'send() takes a Uint8Array/Buffer or a string';
  if (isText && !isValidUtf8(data)) return 'Text messages must be valid UTF-8; send the bytes in binary mode instead';
  return data;
}
