import { invalidParameter } from './errors.js';
import { isToken, splitCommaList } from './http-grammar.js';

/**
 * Checks a list of subprotocol names given by a caller (offered by a client or
 * supported by a server). RFC 6455 section 4.1 requires non-empty, unique tokens;
 * anything else could not be written into Sec-WebSocket-Protocol.
 */
export function validateProtocolList(protocols: readonly string[] | undefined, whose: string): string[] {
  if (protocols === undefined) return [];
  if (!Array.isArray(protocols)) throw invalidParameter(`${whose} subprotocols must be an array of strings`);
  const seen = new Set<string>();
  for (const protocol of protocols as readonly unknown[]) {
    if (typeof protocol !== 'string' || !isToken(protocol)) {
      throw invalidParameter(
        `${whose} subprotocol ${JSON.stringify(protocol)} is not a valid name (non-empty; letters, digits and !#$%&'*+-.^_\`|~ only)`,
      );
    }
    if (seen.has(protocol)) throw invalidParameter(`${whose} subprotocol "${protocol}" is listed twice`);
    seen.add(protocol);
  }
  return [...(protocols as readonly string[])];
}

/** Reads a received Sec-WebSocket-Protocol value; null when an element is not a token. */
export function parseProtocolHeader(value: string | undefined): string[] | null {
  if (value === undefined) return [];
  const protocols = splitCommaList(value);
  return protocols.every(isToken) ? protocols : null;
}

export function describeProtocolList(protocols: readonly string[]): string {
  return protocols.length === 0 ? 'none' : protocols.join(', ');
}
