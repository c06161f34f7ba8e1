import { badResponse, type HandshakeRefusal, invalidParameter } from './errors.js';
import { HANDSHAKE_OWNED_HEADERS, parseHeaderLines, type HeaderField } from './header-fields.js';
import { isFieldValue, trimOptionalWhitespace } from './http-grammar.js';
import { quoteForMessage } from './received-headers.js';
import { refuse } from './refusal-response.js';
import { checkChosenProtocol, checkEnabledExtensions } from './response-checks.js';
import { parseProtocolHeader, validateProtocolList } from './subprotocols.js';
import { isValidHostValue } from './upgrade-request.js';
import type { WebSocketUrl } from './url.js';

/**
 * The opening handshake of a WebSocket over an HTTP/2 stream (RFC 8441): an
 * extended CONNECT request (`:method CONNECT`, `:protocol websocket`) and a
 * 2xx answer instead of GET/101. There is no Sec-WebSocket-Key or Accept
 * (the stream already belongs to one request), and the connection-level
 * headers of HTTP/1.1 (Upgrade, Connection) are forbidden in HTTP/2.
 * Subprotocols, extensions and Sec-WebSocket-Version work as in RFC 6455.
 * Header blocks are plain objects as node:http2 gives and takes them.
 */

/** An HTTP/2 header block: lower-case names, pseudo-headers included. */
export type Http2HeaderBlock = Readonly<Record<string, string | readonly string[] | number | undefined>>;

export interface ExtendedConnectRequest {
  /** `:path`: path and query. */
  readonly resource: string;
  /** `:authority`, playing the Host header's part. */
  readonly host: string;
  /** `:scheme`: "https" or "http". */
  readonly scheme: string;
  /** The regular headers (no pseudo-headers); repeated ones joined with ", ". */
  readonly headers: Map<string, string>;
  /** Subprotocols the client offered, in its order of preference. */
  readonly protocols: string[];
  /** Raw Sec-WebSocket-Extensions value, '' when absent. */
  readonly extensions: string;
}

/** The client's part of the handshake, checked: what the server answered. */
export interface ExtendedConnectResponse {
  readonly protocol: string;
  readonly extensions: string;
  /** The regular headers of the answer (no pseudo-headers). */
  readonly headers: Map<string, string>;
}

/** The protocol token RFC 8441 section 3 registers for WebSockets. */
export const WEBSOCKET_PROTOCOL = 'websocket';

/** Connection-specific fields, which HTTP/2 forbids (RFC 9113 section 8.2.2); node:http2 refuses to send them. */
const CONNECTION_SPECIFIC: ReadonlySet<string> = new Set(['connection', 'upgrade', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'host']);
const SCHEMES: ReadonlySet<string> = new Set(['http', 'https']);
const ORIGIN_FORM = /^\/[\x21-\x7e]*$/;

function single(block: Http2HeaderBlock, name: string): string | undefined {
  const value = block[name];
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : value.join(', ');
}

/** The regular headers of a block as src/handshake keeps them elsewhere: a map of lower-case names. */
export function regularHeaders(block: Http2HeaderBlock): Map<string, string> {
  const headers = new Map<string, string>();
  for (const name of Object.keys(block)) {
    if (name.startsWith(':')) continue;
    const value = single(block, name);
    if (value !== undefined) headers.set(name.toLowerCase(), value);
  }
  return headers;
}

/**
 * Checks an extended CONNECT request as RFC 8441 sections 4 and 5 require.
 * Throws HandshakeRefusal (its `status` and `headers` make the HTTP/2
 * answer; see `refusalHeaders`). An unknown `:protocol` gets 501: RFC 8441
 * names no status for it, and the server does not implement that protocol.
 */
export function validateExtendedConnect(block: Http2HeaderBlock): ExtendedConnectRequest {
  const method = single(block, ':method') ?? '';
  if (method !== 'CONNECT') {
    throw refuse(405, `WebSockets over HTTP/2 use an extended CONNECT request (RFC 8441), not ${quoteForMessage(method)}`, ['Allow: CONNECT']);
  }
  const protocol = single(block, ':protocol');
  if (protocol === undefined) throw refuse(400, 'a CONNECT without :protocol asks for a tunnel; a WebSocket needs ":protocol: websocket" (RFC 8441)');
  if (protocol.toLowerCase() !== WEBSOCKET_PROTOCOL) throw refuse(501, `unknown :protocol ${quoteForMessage(protocol)}; this endpoint speaks "websocket"`);

  const scheme = single(block, ':scheme');
  if (scheme === undefined || !SCHEMES.has(scheme)) {
    throw refuse(400, scheme === undefined ? 'an extended CONNECT needs :scheme (RFC 8441 section 4)' : `unsupported :scheme ${quoteForMessage(scheme)}`);
  }
  const path = single(block, ':path');
  if (path === undefined || !ORIGIN_FORM.test(path)) {
    throw refuse(400, path === undefined ? 'an extended CONNECT needs :path (RFC 8441 section 4)' : `:path must be a path such as "/", got ${quoteForMessage(path)}`);
  }
  const host = single(block, ':authority');
  if (host === undefined || host === '') throw refuse(400, 'an extended CONNECT needs :authority');
  if (!isValidHostValue(host)) throw refuse(400, `invalid :authority ${quoteForMessage(host)}`);

  const headers = regularHeaders(block);
  const version = headers.get('sec-websocket-version');
  if (version !== '13') {
    throw refuse(
      400,
      version === undefined
        ? 'missing sec-websocket-version header; this server speaks version 13'
        : `unsupported sec-websocket-version ${quoteForMessage(version)}; this server speaks version 13`,
      ['Sec-WebSocket-Version: 13'],
    );
  }
  const protocolHeader = headers.get('sec-websocket-protocol');
  const protocols = parseProtocolHeader(protocolHeader);
  if (protocols === null) {
    throw refuse(400, `sec-websocket-protocol must be a comma-separated list of names, got ${quoteForMessage(protocolHeader ?? '')}`);
  }
  return { resource: path, host, scheme, headers, protocols, extensions: headers.get('sec-websocket-extensions') ?? '' };
}

export interface ExtendedConnectAcceptOptions {
  /** The chosen subprotocol; left out when empty. */
  readonly protocol?: string;
  /** Value for sec-websocket-extensions; left out when empty. */
  readonly extensions?: string;
  /** The server's extra "Name: value" lines (the same ones it sends over HTTP/1.1). */
  readonly extraHeaders?: readonly string[];
}

/** The 200 answer that opens the WebSocket. Throws HandshakeError for bad extra headers. */
export function buildExtendedConnectAccept(options: ExtendedConnectAcceptOptions): Record<string, string | number> {
  const block: Record<string, string | number> = { ':status': 200 };
  const protocol = options.protocol ?? '';
  if (protocol !== '') block['sec-websocket-protocol'] = protocol;
  const extensions = trimOptionalWhitespace(options.extensions ?? '');
  if (!isFieldValue(extensions)) throw invalidParameter(`Sec-WebSocket-Extensions value contains a control character: ${JSON.stringify(extensions)}`);
  if (extensions !== '') block['sec-websocket-extensions'] = extensions;
  addFields(block, parseHeaderLines(options.extraHeaders));
  return block;
}

/** A refusal as HTTP/2 sends it: the status, its extra headers and a plain-text body saying why. */
export function refusalHeaders(refusal: HandshakeRefusal): { headers: Record<string, string | number>; body: Buffer } {
  const headers: Record<string, string | number> = { ':status': refusal.status, 'content-type': 'text/plain; charset=utf-8' };
  // The lines were checked when the refusal was built (for its HTTP/1.1 form).
  addFields(
    headers,
    refusal.headers.map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon), value: trimOptionalWhitespace(line.slice(colon + 1)) };
    }),
  );
  return { headers, body: Buffer.from(`${refusal.message}\n`, 'utf8') };
}

/** Lower-cases names (HTTP/2 requires it) and leaves out the connection-specific fields HTTP/2 forbids. */
function addFields(block: Record<string, string | number>, fields: readonly HeaderField[]): void {
  for (const { name, value } of fields) {
    const key = name.toLowerCase();
    if (CONNECTION_SPECIFIC.has(key) || key === 'content-length') continue;
    const previous = block[key];
    block[key] = previous === undefined ? value : `${String(previous)}, ${value}`;
  }
}

export interface ExtendedConnectRequestOptions {
  readonly url: WebSocketUrl;
  readonly protocols?: readonly string[];
  /** Custom "Name: value" lines; HTTP/2's connection-specific fields are refused. */
  readonly headers?: readonly string[];
  readonly extensions?: string;
}

/** The client's extended CONNECT request. Every input is checked first: throws HandshakeError (ERR_INVALID_PARAMETER). */
export function buildExtendedConnectRequest(options: ExtendedConnectRequestOptions): Record<string, string> {
  const { url } = options;
  if (!ORIGIN_FORM.test(url.resource)) throw invalidParameter(`request path must start with "/" and hold only visible ASCII: ${JSON.stringify(url.resource)}`);
  const protocols = validateProtocolList(options.protocols, 'requested');
  const extensions = trimOptionalWhitespace(options.extensions ?? '');
  if (!isFieldValue(extensions)) throw invalidParameter(`Sec-WebSocket-Extensions value contains a control character: ${JSON.stringify(extensions)}`);
  const custom = parseHeaderLines(options.headers, HANDSHAKE_OWNED_HEADERS);
  const block: Record<string, string> = {
    ':method': 'CONNECT',
    ':protocol': WEBSOCKET_PROTOCOL,
    ':scheme': url.secure ? 'https' : 'http',
    ':path': url.resource,
    ':authority': url.hostHeader,
    'sec-websocket-version': '13',
  };
  if (protocols.length > 0) block['sec-websocket-protocol'] = protocols.join(', ');
  if (extensions !== '') block['sec-websocket-extensions'] = extensions;
  for (const { name, value } of custom) {
    const key = name.toLowerCase();
    if (CONNECTION_SPECIFIC.has(key)) throw invalidParameter(`header ${name} is connection-specific and not allowed over HTTP/2`);
    block[key] = block[key] === undefined ? value : `${block[key]}, ${value}`;
  }
  return block;
}

export interface ExtendedConnectResponseOptions {
  readonly protocols?: readonly string[];
  /** Names of the extensions the request offered. */
  readonly offeredExtensions?: readonly string[];
}

/** Checks the server's answer to an extended CONNECT; throws HandshakeError unless it opens the WebSocket. */
export function checkExtendedConnectResponse(block: Http2HeaderBlock, options: ExtendedConnectResponseOptions = {}): ExtendedConnectResponse {
  const status = Number(single(block, ':status'));
  if (!(status >= 200 && status < 300)) {
    throw badResponse(`server answered ${Number.isNaN(status) ? 'without a status' : status} instead of 200 to the extended CONNECT`, Number.isNaN(status) ? undefined : status);
  }
  const headers = regularHeaders(block);
  const offered = new Set((options.offeredExtensions ?? []).map((name) => name.toLowerCase()));
  return {
    protocol: checkChosenProtocol(headers.get('sec-websocket-protocol'), options.protocols ?? []),
    extensions: checkEnabledExtensions(headers.get('sec-websocket-extensions'), offered),
    headers,
  };
}
