import { badResponse, type HandshakeError } from './errors.js';
import { formatExtensionElement, parseExtensionList, type ExtensionElement, type ExtensionParameter } from './extension-header.js';
import { quoteForMessage } from './received-headers.js';

export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/** LZ77 window sizes RFC 7692 allows, as powers of two; 15 also means "no limit". */
export const MIN_WINDOW_BITS = 8;
export const MAX_WINDOW_BITS = 15;

/**
 * What one endpoint asks for. The same shape serves both sides: a server
 * states what it requires of itself and of its clients, a client what it will
 * do and what it asks of the server. 15 window bits means no limit.
 */
export interface DeflateNegotiationOptions {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number;
  readonly clientMaxWindowBits: number;
}

/** The parameters both sides agreed on for one connection (window bits 8-15). */
export interface DeflateParameters {
  /** The server resets its compressor after every message. */
  readonly serverNoContextTakeover: boolean;
  /** The client resets its compressor after every message. */
  readonly clientNoContextTakeover: boolean;
  /** Largest LZ77 window the server's compressor uses. */
  readonly serverMaxWindowBits: number;
  /** Largest LZ77 window the client's compressor uses. */
  readonly clientMaxWindowBits: number;
}

export interface AcceptedDeflateOffer {
  readonly parameters: DeflateParameters;
  /** The Sec-WebSocket-Extensions value to answer with. */
  readonly response: string;
}

/** The parameters of one permessage-deflate element; `true` for client_max_window_bits without a value. */
interface DeflateElementParameters {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number | null;
  clientMaxWindowBits: number | true | null;
}

/**
 * Server side of RFC 7692: walks the client's offers in its order of
 * preference and accepts the first permessage-deflate offer that is well
 * formed and compatible with `options`. Anything else (a malformed element,
 * unknown or repeated parameters, a window the client cannot be held to) is
 * declined, which leaves the connection uncompressed: never a failed handshake.
 */
export function acceptDeflateOffer(header: string, options: DeflateNegotiationOptions): AcceptedDeflateOffer | null {
  for (const element of parseExtensionList(header)) {
    if (element === null || element.name !== PERMESSAGE_DEFLATE) continue;
    const offer = readElementParameters(element.params);
    if (typeof offer === 'string') continue;
    const accepted = answerOffer(offer, options);
    if (accepted !== null) return accepted;
  }
  return null;
}

function answerOffer(offer: DeflateElementParameters, options: DeflateNegotiationOptions): AcceptedDeflateOffer | null {
  // A client that did not offer client_max_window_bits cannot be asked to use a smaller window;
  // accepting it anyway would break the memory bound the server was configured with.
  if (offer.clientMaxWindowBits === null && options.clientMaxWindowBits < MAX_WINDOW_BITS) return null;
  const serverMaxWindowBits = Math.min(options.serverMaxWindowBits, offer.serverMaxWindowBits ?? MAX_WINDOW_BITS);
  const clientMaxWindowBits =
    offer.clientMaxWindowBits === null
      ? MAX_WINDOW_BITS
      : Math.min(options.clientMaxWindowBits, offer.clientMaxWindowBits === true ? MAX_WINDOW_BITS : offer.clientMaxWindowBits);
  const parameters: DeflateParameters = {
    serverNoContextTakeover: offer.serverNoContextTakeover || options.serverNoContextTakeover,
    clientNoContextTakeover: offer.clientNoContextTakeover || options.clientNoContextTakeover,
    serverMaxWindowBits,
    clientMaxWindowBits,
  };
  const params: ExtensionParameter[] = [];
  if (parameters.serverNoContextTakeover) params.push({ name: 'server_no_context_takeover', value: null });
  if (parameters.clientNoContextTakeover) params.push({ name: 'client_no_context_takeover', value: null });
  if (offer.serverMaxWindowBits !== null || serverMaxWindowBits < MAX_WINDOW_BITS) {
    params.push({ name: 'server_max_window_bits', value: String(serverMaxWindowBits) });
  }
  if (offer.clientMaxWindowBits !== null && clientMaxWindowBits < MAX_WINDOW_BITS) {
    params.push({ name: 'client_max_window_bits', value: String(clientMaxWindowBits) });
  }
  return { parameters, response: formatExtensionElement({ name: PERMESSAGE_DEFLATE, params }) };
}

/**
 * Client side: the Sec-WebSocket-Extensions value offering permessage-deflate.
 * client_max_window_bits is always sent (with a value when limited) so the
 * server may ask for a smaller client window instead of declining.
 */
export function formatDeflateOffer(options: DeflateNegotiationOptions): string {
  const params: ExtensionParameter[] = [];
  if (options.serverNoContextTakeover) params.push({ name: 'server_no_context_takeover', value: null });
  if (options.clientNoContextTakeover) params.push({ name: 'client_no_context_takeover', value: null });
  if (options.serverMaxWindowBits < MAX_WINDOW_BITS) {
    params.push({ name: 'server_max_window_bits', value: String(options.serverMaxWindowBits) });
  }
  params.push({
    name: 'client_max_window_bits',
    value: options.clientMaxWindowBits < MAX_WINDOW_BITS ? String(options.clientMaxWindowBits) : null,
  });
  return formatExtensionElement({ name: PERMESSAGE_DEFLATE, params });
}

/**
 * Client side: checks the server's answer to `formatDeflateOffer(options)`.
 * Returns null when the server did not enable the extension and the agreed
 * parameters when it did; throws HandshakeError (the connection fails) when
 * the answer is malformed, names parameters that were not offered, or holds
 * values the offer does not allow.
 */
export function readDeflateResponse(header: string, options: DeflateNegotiationOptions): DeflateParameters | null {
  const elements = parseExtensionList(header);
  const deflateElements = elements.filter((element) => element === null || element.name === PERMESSAGE_DEFLATE);
  if (deflateElements.length === 0) return null;
  if (deflateElements.length > 1) throw deflateFailure(header, 'permessage-deflate is enabled more than once');
  const element = deflateElements[0];
  if (element === null || element === undefined) throw deflateFailure(header, 'the value is malformed');
  const answer = readElementParameters(element.params);
  if (typeof answer === 'string') throw deflateFailure(header, answer);
  if (answer.clientMaxWindowBits === true) throw deflateFailure(header, 'client_max_window_bits needs a value in a response');
  if (options.serverNoContextTakeover && !answer.serverNoContextTakeover) {
    throw deflateFailure(header, 'server_no_context_takeover was requested and not confirmed');
  }
  if (answer.serverMaxWindowBits !== null && answer.serverMaxWindowBits > options.serverMaxWindowBits) {
    throw deflateFailure(header, `server_max_window_bits=${answer.serverMaxWindowBits} is more than the ${options.serverMaxWindowBits} requested`);
  }
  if (answer.clientMaxWindowBits !== null && answer.clientMaxWindowBits > options.clientMaxWindowBits) {
    throw deflateFailure(header, `client_max_window_bits=${answer.clientMaxWindowBits} is more than the ${options.clientMaxWindowBits} offered`);
  }
  return {
    serverNoContextTakeover: answer.serverNoContextTakeover,
    clientNoContextTakeover: answer.clientNoContextTakeover || options.clientNoContextTakeover,
    // A server that leaves its window unstated may use the largest; inflating with it is always safe.
    serverMaxWindowBits: answer.serverMaxWindowBits ?? MAX_WINDOW_BITS,
    clientMaxWindowBits: answer.clientMaxWindowBits ?? options.clientMaxWindowBits,
  };
}

function deflateFailure(header: string, problem: string): HandshakeError {
  return badResponse(`server's Sec-WebSocket-Extensions ${quoteForMessage(header)} cannot be accepted: ${problem}`);
}

/** Reads the four RFC 7692 parameters; a string says what is wrong. */
function readElementParameters(params: ExtensionElement['params']): DeflateElementParameters | string {
  const result: DeflateElementParameters = {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: null,
    clientMaxWindowBits: null,
  };
  const seen = new Set<string>();
  for (const { name, value } of params) {
    if (seen.has(name)) return `parameter ${name} appears twice`;
    seen.add(name);
    switch (name) {
      case 'server_no_context_takeover':
      case 'client_no_context_takeover':
        if (value !== null) return `parameter ${name} takes no value`;
        if (name === 'server_no_context_takeover') result.serverNoContextTakeover = true;
        else result.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits': {
        const bits = value === null ? null : parseWindowBits(value);
        if (bits === null) return `server_max_window_bits needs a value from ${MIN_WINDOW_BITS} to ${MAX_WINDOW_BITS}`;
        result.serverMaxWindowBits = bits;
        break;
      }
      case 'client_max_window_bits': {
        const bits = value === null ? true : parseWindowBits(value);
        if (bits === null) return `client_max_window_bits must be from ${MIN_WINDOW_BITS} to ${MAX_WINDOW_BITS}`;
        result.clientMaxWindowBits = bits;
        break;
      }
      default:
        return `unknown parameter ${name}`;
    }
  }
  return result;
}

/** 1*DIGIT without leading zeros, 8 to 15 (RFC 7692 section 7.1.2.1). */
function parseWindowBits(value: string): number | null {
  if (!/^[1-9][0-9]?$/.test(value)) return null;
  const bits = Number(value);
  return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS ? bits : null;
}
