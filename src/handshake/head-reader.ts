const CARRIAGE_RETURN = 0x0d;
const LINE_FEED = 0x0a;
const SMALLEST_LINE_BUFFER = 256;

export type HeadProblem = 'too-large' | 'bare-line-feed';

export interface HeadReaderOptions {
  /** Most bytes the head may take, blank line included. */
  readonly limit: number;
  /** Receives each complete start or field line, CRLF removed, decoded as latin1 (one char per byte). */
  readonly onLine: (line: string) => void;
  /** Builds the error to throw for a malformed or oversized head. */
  readonly errorFor: (problem: HeadProblem) => Error;
}

/**
 * Reads an HTTP/1.1 head (start line, field lines, blank line) from chunks of any
 * size. Lines are handed on as soon as their CRLF arrives, so a bad line fails
 * the same way however the bytes were split, and the head never grows past
 * `limit`: only the unfinished line is kept between chunks.
 */
export class HttpHeadReader {
  private readonly limit: number;
  private readonly onLine: (line: string) => void;
  private readonly errorFor: (problem: HeadProblem) => Error;
  private consumed = 0;
  private unfinishedLine: Buffer = Buffer.alloc(0);
  private unfinishedLength = 0;
  private sawStartLine = false;

  constructor(options: HeadReaderOptions) {
    this.limit = options.limit;
    this.onLine = options.onLine;
    this.errorFor = options.errorFor;
  }

  /** Returns the bytes after the blank line once the head is complete, null while more are needed. */
  push(chunk: Buffer): Buffer | null {
    const budget = this.limit - this.consumed - this.unfinishedLength;
    const region = chunk.length > budget ? chunk.subarray(0, budget) : chunk;
    let position = 0;
    for (let lineFeed = region.indexOf(LINE_FEED); lineFeed !== -1; lineFeed = region.indexOf(LINE_FEED, position)) {
      const line = this.takeLine(region, position, lineFeed);
      position = lineFeed + 1;
      if (line === '') {
        if (this.sawStartLine) return chunk.subarray(position);
        continue; // RFC 9112 section 2.2: empty lines before the start line are ignored.
      }
      this.sawStartLine = true;
      this.onLine(line);
    }
    this.keepUnfinished(region, position);
    if (this.consumed + this.unfinishedLength >= this.limit) throw this.errorFor('too-large');
    return null;
  }

  private takeLine(region: Buffer, start: number, lineFeed: number): string {
    const carriageReturnBefore =
      lineFeed > start
        ? region[lineFeed - 1] === CARRIAGE_RETURN
        : this.unfinishedLength > 0 && this.unfinishedLine[this.unfinishedLength - 1] === CARRIAGE_RETURN;
    if (!carriageReturnBefore) throw this.errorFor('bare-line-feed');
    this.consumed += this.unfinishedLength + lineFeed + 1 - start;
    if (this.unfinishedLength === 0) return region.toString('latin1', start, lineFeed - 1);
    const joined = this.unfinishedLine.toString('latin1', 0, this.unfinishedLength) + region.toString('latin1', start, lineFeed + 1);
    this.unfinishedLength = 0;
    return joined.slice(0, -2);
  }

  private keepUnfinished(region: Buffer, start: number): void {
    const extra = region.length - start;
    if (extra === 0) return;
    const needed = this.unfinishedLength + extra;
    if (needed > this.unfinishedLine.length) {
      const capacity = Math.min(this.limit, Math.max(needed, this.unfinishedLine.length * 2, SMALLEST_LINE_BUFFER));
      const grown = Buffer.allocUnsafe(capacity);
      this.unfinishedLine.copy(grown, 0, 0, this.unfinishedLength);
      this.unfinishedLine = grown;
    }
    region.copy(this.unfinishedLine, this.unfinishedLength, start);
    this.unfinishedLength = needed;
  }
}
