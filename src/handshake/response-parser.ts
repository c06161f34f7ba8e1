import { GodotError } from '../godot-error.js';
import { HandshakeError, badResponse, invalidParameter } from './errors.js';
import { HttpHeadReader } from './head-reader.js';
import type { HeadProblem } from './head-reader.js';
import { isFieldValue, listIncludesToken } from './http-grammar.js';
import { computeAccept, isValidKey } from './key.js';
import { addReceivedHeaderLine, quoteForMessage } from './received-headers.js';
import { checkChosenProtocol, checkEnabledExtensions } from './response-checks.js';

export interface ServerResponse {
  /** The subprotocol the server chose, '' if none. */
  readonly protocol: string;
  /** Raw Sec-WebSocket-Extensions value, '' if none. */
  readonly extensions: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Map<string, string>;
  /** Bytes after the blank line: the start of the WebSocket stream, never to be dropped. */
  readonly rest: Buffer;
}

export interface ServerResponseParserOptions {
  /** The Sec-WebSocket-Key the request carried. */
  readonly key: string;
  /** Subprotocols the request offered. */
  readonly protocols?: readonly string[];
  /** Names of the extensions the request offered; the server may enable no others. */
  readonly offeredExtensions?: readonly string[];
  /** Most bytes the status line plus headers may take, blank line included. */
  readonly maxHeadBytes?: number;
}

const DEFAULT_MAX_HEAD_BYTES = 8192;
const STATUS_LINE = /^HTTP\/([0-9])\.([0-9]) ([0-9]{3})(?: (.*))?$/;

/**
 * Client side of the opening handshake: reads the server's answer from chunks
 * of any size and checks it as RFC 6455 section 4.1 and Godot require. Any
 * failure throws HandshakeError (ERR_CONNECTION_ERROR; a non-101 answer carries
 * its status code and reason phrase, and is reported as soon as the status line
 * arrives).
 */
export class ServerResponseParser {
  private readonly reader: HttpHeadReader;
  private readonly expectedAccept: string;
  private readonly protocols: readonly string[];
  private readonly offeredExtensions: ReadonlySet<string>;
  private readonly headers = new Map<string, string>();
  private sawStatusLine = false;
  private result: ServerResponse | null = null;
  private failure: HandshakeError | null = null;

  constructor(options: ServerResponseParserOptions) {
    if (!isValidKey(options.key)) throw invalidParameter(`key ${JSON.stringify(options.key)} is not base64 of 16 bytes`);
    const limit = options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES;
    if (!Number.isInteger(limit) || limit < 1) throw invalidParameter(`maxHeadBytes must be a positive integer, got ${limit}`);
    this.expectedAccept = computeAccept(options.key);
    this.protocols = [...(options.protocols ?? [])];
    this.offeredExtensions = new Set((options.offeredExtensions ?? []).map((name) => name.toLowerCase()));
    this.reader = new HttpHeadReader({
      limit,
      onLine: (line) => this.readLine(line),
      errorFor: (problem) => errorFor(problem, limit),
    });
  }

  /** Returns the checked response once its head is complete, null while more bytes are needed. */
  push(chunk: Buffer): ServerResponse | null {
    if (this.failure !== null) throw this.failure;
    if (this.result !== null) {
      throw new HandshakeError(GodotError.ERR_BUG, 'the handshake response was already complete; bytes after it were returned in `rest`');
    }
    try {
      const rest = this.reader.push(chunk);
      if (rest === null) return null;
      this.result = { ...this.checkUpgrade(), headers: this.headers, rest };
      return this.result;
    } catch (error) {
      if (error instanceof HandshakeError) this.failure = error;
      throw error;
    }
  }

  private readLine(line: string): void {
    if (!this.sawStatusLine) {
      this.sawStatusLine = true;
      checkStatusLine(line);
      return;
    }
    const problem = addReceivedHeaderLine(this.headers, line);
    if (problem !== null) throw badResponse(`malformed header in the server's response: ${problem}`);
  }

  private checkUpgrade(): { protocol: string; extensions: string } {
    const upgrade = this.headers.get('upgrade');
    if (!listIncludesToken(upgrade, 'websocket')) {
      throw badResponse(`server's 101 response must carry "Upgrade: websocket", got ${describeValue(upgrade)}`);
    }
    const connection = this.headers.get('connection');
    if (!listIncludesToken(connection, 'upgrade')) {
      throw badResponse(`server's 101 response must carry "Connection: Upgrade", got ${describeValue(connection)}`);
    }
    const accept = this.headers.get('sec-websocket-accept');
    if (accept !== this.expectedAccept) {
      throw badResponse(
        accept === undefined
          ? "server's 101 response has no Sec-WebSocket-Accept header"
          : `server's Sec-WebSocket-Accept ${quoteForMessage(accept)} does not match the key (expected "${this.expectedAccept}")`,
      );
    }
    return { protocol: this.checkProtocol(), extensions: this.checkExtensions() };
  }

  private checkProtocol(): string {
    return checkChosenProtocol(this.headers.get('sec-websocket-protocol'), this.protocols);
  }

  private checkExtensions(): string {
    return checkEnabledExtensions(this.headers.get('sec-websocket-extensions'), this.offeredExtensions);
  }
}

function checkStatusLine(line: string): void {
  const match = STATUS_LINE.exec(line);
  if (match === null) throw badResponse(`server did not answer with an HTTP status line; got ${quoteForMessage(line)}`);
  const status = Number(match[3]);
  const statusText = match[4] ?? '';
  if (!isFieldValue(statusText)) throw badResponse(`server's status line contains a control character: ${quoteForMessage(line)}`);
  if (status !== 101) {
    const text = statusText === '' ? '' : ` ${statusText}`;
    throw badResponse(`server answered ${status}${text} instead of 101 Switching Protocols`, status, statusText);
  }
  if (match[1] !== '1' || match[2] === '0') {
    throw badResponse(`server answered with HTTP/${match[1]}.${match[2]}; a WebSocket upgrade needs HTTP/1.1`);
  }
}

function errorFor(problem: HeadProblem, limit: number): HandshakeError {
  return problem === 'too-large'
    ? badResponse(`server's response head exceeds ${limit} bytes`)
    : badResponse("malformed server response: HTTP lines must end with CRLF");
}

function describeValue(value: string | undefined): string {
  return value === undefined ? 'no such header' : quoteForMessage(value);
}
