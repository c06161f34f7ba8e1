import { isValidUtf8 } from '../frame/index.js';
import { WriteMode } from './ready-state.js';

/**
 * What `send(data, mode)` puts on the wire, or why it cannot: without a mode
 * a string goes out as text (as in every JavaScript WebSocket API) and bytes
 * as binary; text must be valid UTF-8.
 */
export function outgoingMessage(data: unknown, mode: WriteMode | undefined): { bytes: Uint8Array; isText: boolean } | string {
  const isText = mode === undefined ? typeof data === 'string' : mode === WriteMode.TEXT;
  if (!isText && mode !== undefined && mode !== WriteMode.BINARY) return `Unknown write mode ${String(mode)}`;
  if (typeof data === 'string') return { bytes: Buffer.from(data, 'utf8'), isText };
  if (!(data instanceof Uint8Array)) return 'send() takes a Uint8Array/Buffer or a string';
  if (isText && !isValidUtf8(data)) return 'Text messages must be valid UTF-8; send the bytes in binary mode instead';
  return { bytes: data, isText };
}
