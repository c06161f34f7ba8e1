import { HandshakeRefusal, invalidParameter } from './errors.js';
import { HttpHeadReader } from './head-reader.js';
import type { HeadProblem } from './head-reader.js';
import { isToken } from './http-grammar.js';
import { addReceivedHeaderLine, quoteForMessage } from './received-headers.js';
import { refuse } from './refusal-response.js';
import { checkHttpVersion, checkMethod, validateUpgradeRequest } from './upgrade-request.js';
import type { UpgradeRequest } from './upgrade-request.js';

export { validateUpgradeRequest } from './upgrade-request.js';
export type { UpgradeRequest } from './upgrade-request.js';

export const DEFAULT_MAX_HEAD_BYTES = 8192;

export interface UpgradeRequestParserOptions {
  /** Most bytes the request line plus headers may take (blank line included); over it the answer is 431. */
  readonly maxHeadBytes?: number;
}

interface RequestLine {
  readonly method: string;
  readonly target: string;
  readonly httpVersion: string;
}

/**
 * Server side of the opening handshake: reads a client's upgrade request from
 * chunks of any size and validates it. Problems throw HandshakeRefusal, whose
 * `response` is the complete HTTP answer to write before closing; the request
 * line is checked as soon as it arrives, so a stray protocol fails fast.
 */
export class UpgradeRequestParser {
  private readonly reader: HttpHeadReader;
  private readonly headers = new Map<string, string>();
  private requestLine: RequestLine | null = null;
  private result: UpgradeRequest | null = null;
  private failure: HandshakeRefusal | null = null;

  constructor(options: UpgradeRequestParserOptions = {}) {
    const limit = options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES;
    if (!Number.isInteger(limit) || limit < 1) throw invalidParameter(`maxHeadBytes must be a positive integer, got ${limit}`);
    this.reader = new HttpHeadReader({
      limit,
      onLine: (line) => this.readLine(line),
      errorFor: (problem) => refusalFor(problem, limit),
    });
  }

  /** Returns the request once its head is complete, null while more bytes are needed. */
  push(chunk: Buffer): UpgradeRequest | null {
    if (this.failure !== null) throw this.failure;
    if (this.result !== null) {
      throw refuse(500, 'the upgrade request was already complete; bytes after it were returned in `rest`');
    }
    try {
      const rest = this.reader.push(chunk);
      if (rest === null) return null;
      // The head reader only finishes after a start line, so requestLine is set here.
      const line = this.requestLine as RequestLine;
      const request = validateUpgradeRequest(line.method, line.httpVersion, line.target, this.headers);
      this.result = { ...request, rest };
      return this.result;
    } catch (error) {
      if (error instanceof HandshakeRefusal) this.failure = error;
      throw error;
    }
  }

  private readLine(line: string): void {
    if (this.requestLine === null) {
      this.requestLine = parseRequestLine(line);
      return;
    }
    const problem = addReceivedHeaderLine(this.headers, line);
    if (problem !== null) throw refuse(400, `malformed request header: ${problem}`);
  }
}

function parseRequestLine(line: string): RequestLine {
  const parts = line.split(' ');
  const [method = '', target = '', version = ''] = parts;
  if (parts.length !== 3 || !isToken(method) || target === '' || !version.startsWith('HTTP/')) {
    throw refuse(400, `malformed request line ${quoteForMessage(line)}; expected "GET /path HTTP/1.1"`);
  }
  checkMethod(method);
  const httpVersion = checkHttpVersion(version);
  return { method, target, httpVersion };
}

function refusalFor(problem: HeadProblem, limit: number): HandshakeRefusal {
  return problem === 'too-large'
    ? refuse(431, `request line and headers exceed ${limit} bytes`)
    : refuse(400, 'malformed request: HTTP lines must end with CRLF');
}
