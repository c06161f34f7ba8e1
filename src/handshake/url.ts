import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { invalidParameter } from './errors.js';

export interface WebSocketUrl {
  readonly secure: boolean;
  /** Host name or address to connect to; IPv6 literals without brackets. */
  readonly host: string;
  readonly port: number;
  /** Path and query as sent in the request line; '/' when the URL has none. */
  readonly resource: string;
  /** Value of the Host header: host, bracketed for IPv6, with ':port' unless it is the scheme's default. */
  readonly hostHeader: string;
  /** The URL in normalized form: lower-case scheme, default port left out, path encoded. */
  readonly href: string;
}

const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HOST_NAME = /^[A-Za-z0-9._~-]+$/;
const PORT_DIGITS = /^[0-9]{1,5}$/;
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;
const NEEDS_PERCENT_ENCODING = /[^\x21-\x7e]+/g;

/**
 * Parses a `ws://` or `wss://` URL the way Godot's connect_to_url reads it
 * (a URL without a scheme is taken as ws://, like Godot 3 and 4 do). Throws
 * HandshakeError (ERR_INVALID_PARAMETER) for anything that cannot be connected to.
 */
export function parseWebSocketUrl(url: string): WebSocketUrl {
  if (typeof url !== 'string') throw invalidParameter(`WebSocket URL must be a string, got ${typeof url}`);
  const text = url.trim();
  if (text === '') throw invalidParameter('WebSocket URL is empty');
  if (text.includes('#')) {
    throw invalidParameter(`WebSocket URLs cannot have a fragment ("#..."): ${JSON.stringify(url)}`);
  }

  const { secure, afterScheme } = splitScheme(text);
  const authorityEnd = firstIndexOfAny(afterScheme, '/?');
  const authority = afterScheme.slice(0, authorityEnd);
  const { host, bracketed, portText } = splitAuthority(authority, url);
  const defaultPort = secure ? 443 : 80;
  const port = portText === undefined ? defaultPort : parsePort(portText, url);
  const resource = encodeResource(afterScheme.slice(authorityEnd), url);

  const hostPart = bracketed ? `[${host}]` : host;
  const hostHeader = port === defaultPort ? hostPart : `${hostPart}:${port}`;
  return {
    secure,
    host,
    port,
    resource,
    hostHeader,
    href: `${secure ? 'wss' : 'ws'}://${hostHeader}${resource}`,
  };
}

function splitScheme(text: string): { secure: boolean; afterScheme: string } {
  const match = SCHEME_PREFIX.exec(text);
  if (match === null) return { secure: false, afterScheme: text };
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'ws' && scheme !== 'wss') {
    throw invalidParameter(`unsupported URL scheme "${match[1]}://": use ws:// or wss://`);
  }
  return { secure: scheme === 'wss', afterScheme: text.slice(match[0].length) };
}

function splitAuthority(authority: string, url: string): { host: string; bracketed: boolean; portText: string | undefined } {
  if (authority.includes('@')) {
    throw invalidParameter(
      `WebSocket URLs cannot carry user info ("user@host"); send credentials in a header instead: ${JSON.stringify(url)}`,
    );
  }
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) throw invalidParameter(`IPv6 address in ${JSON.stringify(url)} is missing its closing "]"`);
    const address = authority.slice(1, close).replace('%25', '%');
    if (!isIPv6(address)) throw invalidParameter(`"${authority.slice(0, close + 1)}" is not a valid IPv6 address`);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      throw invalidParameter(`unexpected text after the IPv6 address in ${JSON.stringify(url)}`);
    }
    return { host: address, bracketed: true, portText: after === '' ? undefined : after.slice(1) };
  }
  const colon = authority.indexOf(':');
  if (colon !== -1 && authority.indexOf(':', colon + 1) !== -1) {
    throw invalidParameter(`IPv6 addresses in URLs must be in brackets, as in ws://[::1]:8080/: ${JSON.stringify(url)}`);
  }
  const rawHost = colon === -1 ? authority : authority.slice(0, colon);
  if (rawHost === '') throw invalidParameter(`WebSocket URL has no host: ${JSON.stringify(url)}`);
  return { host: checkHostName(rawHost), bracketed: false, portText: colon === -1 ? undefined : authority.slice(colon + 1) };
}

function checkHostName(rawHost: string): string {
  // Internationalized names go on the wire in their ASCII (punycode) form.
  const host = /^[\x00-\x7f]*$/.test(rawHost) ? rawHost : domainToASCII(rawHost);
  if (host === '' || !HOST_NAME.test(host)) throw invalidParameter(`"${rawHost}" is not a valid host name`);
  return host;
}

function parsePort(portText: string, url: string): number {
  const port = PORT_DIGITS.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw invalidParameter(`port "${portText}" in ${JSON.stringify(url)} is not a number from 1 to 65535`);
  }
  return port;
}

function encodeResource(pathAndQuery: string, url: string): string {
  if (CONTROL_CHARACTER.test(pathAndQuery)) {
    throw invalidParameter(`WebSocket URL path contains a control character: ${JSON.stringify(url)}`);
  }
  const path = pathAndQuery === '' ? '/' : pathAndQuery.startsWith('?') ? `/${pathAndQuery}` : pathAndQuery;
  try {
    // Spaces and non-ASCII text would break or garble the request line; send them percent-encoded (UTF-8), as browsers do.
    return path.replace(NEEDS_PERCENT_ENCODING, (run) => encodeURIComponent(run));
  } catch {
    throw invalidParameter(`WebSocket URL path contains an unpaired UTF-16 surrogate: ${JSON.stringify(url)}`);
  }
}

function firstIndexOfAny(text: string, characters: string): number {
  for (let index = 0; index < text.length; index++) {
    if (characters.includes(text[index]!)) return index;
  }
  return text.length;
}
