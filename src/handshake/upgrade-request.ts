import { quoteForMessage } from './received-headers.js';
import { listIncludesToken } from './http-grammar.js';
import { isValidKey } from './key.js';
import { refuse } from './refusal-response.js';
import { parseProtocolHeader } from './subprotocols.js';

export interface UpgradeRequest {
  readonly method: string;
  /** Path and query the client asked for (Godot 4's get_requested_url is built from it). */
  readonly resource: string;
  /** As node:http gives it: "1.1", without the "HTTP/" prefix. */
  readonly httpVersion: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Map<string, string>;
  readonly key: string;
  /** Subprotocols the client offered, in its order of preference. */
  readonly protocols: string[];
  /** Raw Sec-WebSocket-Extensions value, '' when absent. */
  readonly extensions: string;
  readonly host: string;
  /** Bytes that followed the request head: the start of the WebSocket stream. */
  readonly rest: Buffer;
}

const HTTP_VERSION = /^(?:HTTP\/)?([0-9]+)\.([0-9]+)$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/;
/** host or [IPv6], optional :port (RFC 9110 section 7.2), without anything that could smuggle a second value. */
const HOST_VALUE = /^(?:\[[0-9A-Za-z:.%_~-]+\]|[A-Za-z0-9._~!$&'()*+;=%-]+)(?::[0-9]*)?$/;

/** Whether `value` is a valid Host header (or HTTP/2 :authority): host or [IPv6] with an optional port. */
export function isValidHostValue(value: string): boolean {
  return HOST_VALUE.test(value);
}

/** Refuses (405) any method but GET, RFC 6455 section 4.1. */
export function checkMethod(method: string): void {
  if (method !== 'GET') {
    throw refuse(405, `WebSocket handshakes use GET, not ${quoteForMessage(method)}`, ['Allow: GET']);
  }
}

/** Refuses (400) versions below HTTP/1.1; accepts "1.1" (node:http's form) and "HTTP/1.1". Returns "major.minor". */
export function checkHttpVersion(httpVersion: string): string {
  const match = HTTP_VERSION.exec(httpVersion);
  if (match === null) throw refuse(400, `malformed HTTP version ${quoteForMessage(httpVersion)}`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 1 || (major === 1 && minor < 1)) {
    throw refuse(400, `WebSocket handshakes need HTTP/1.1 or later, got HTTP/${major}.${minor}`);
  }
  return `${major}.${minor}`;
}

/**
 * Checks a request as RFC 6455 section 4.2.1 requires. Usable both on what
 * UpgradeRequestParser read and on a request node:http already parsed (for
 * handleUpgrade). Throws HandshakeRefusal with a ready-to-write response.
 */
export function validateUpgradeRequest(
  method: string,
  httpVersion: string,
  resource: string,
  headers: Map<string, string>,
): Omit<UpgradeRequest, 'rest'> {
  checkMethod(method);
  const version = checkHttpVersion(httpVersion);
  const path = requestPath(resource);

  const host = headers.get('host');
  if (host === undefined || host === '') throw refuse(400, 'missing Host header');
  if (!HOST_VALUE.test(host)) throw refuse(400, `invalid Host header ${quoteForMessage(host)}`);

  const upgrade = headers.get('upgrade');
  if (!listIncludesToken(upgrade, 'websocket')) {
    throw refuse(
      400,
      upgrade === undefined
        ? 'missing "Upgrade: websocket" header'
        : `Upgrade header must name websocket, got ${quoteForMessage(upgrade)}`,
    );
  }
  const connection = headers.get('connection');
  if (!listIncludesToken(connection, 'upgrade')) {
    throw refuse(
      400,
      connection === undefined
        ? 'missing "Connection: Upgrade" header'
        : `Connection header must include "Upgrade", got ${quoteForMessage(connection)}`,
    );
  }

  const websocketVersion = headers.get('sec-websocket-version');
  if (websocketVersion !== '13') {
    throw refuse(
      426,
      websocketVersion === undefined
        ? 'missing Sec-WebSocket-Version header; this server speaks version 13'
        : `unsupported Sec-WebSocket-Version ${quoteForMessage(websocketVersion)}; this server speaks version 13`,
      ['Sec-WebSocket-Version: 13', 'Upgrade: websocket'],
    );
  }

  const key = headers.get('sec-websocket-key');
  if (key === undefined) throw refuse(400, 'missing Sec-WebSocket-Key header');
  if (!isValidKey(key)) throw refuse(400, `Sec-WebSocket-Key must be base64 of 16 bytes, got ${quoteForMessage(key)}`);

  const protocolHeader = headers.get('sec-websocket-protocol');
  const protocols = parseProtocolHeader(protocolHeader);
  if (protocols === null) {
    throw refuse(400, `Sec-WebSocket-Protocol must be a comma-separated list of names, got ${quoteForMessage(protocolHeader ?? '')}`);
  }

  return {
    method,
    resource: path,
    httpVersion: version,
    headers,
    key,
    protocols,
    extensions: headers.get('sec-websocket-extensions') ?? '',
    host,
  };
}

/**
 * The path and query of the request target. Origin-form ("/chat?room=1") is
 * what clients send; absolute-form ("ws://host/chat") must be accepted too
 * (RFC 9112 section 3.2.2) and is reduced to its path and query.
 */
export function requestPath(target: string): string {
  if (!VISIBLE_ASCII.test(target)) throw refuse(400, `malformed request target ${quoteForMessage(target)}`);
  if (target.startsWith('/')) return target;
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute === null) throw refuse(400, `request target must be a path such as "/", got ${quoteForMessage(target)}`);
  const rest = target.slice(absolute[0].length);
  return rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
}
