import { expect } from 'vitest';

export interface ParsedHttpResponse {
  readonly status: number;
  readonly reason: string;
  readonly headers: Map<string, string>;
  readonly body: string;
}

const STATUS_LINE = /^HTTP\/1\.1 ([0-9]{3}) ([\x20-\x7e]+)$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ([\t\x20-\x7e\x80-\xff]*)$/;

/**
 * Parses a complete HTTP/1.1 response strictly, failing the test on anything a
 * conforming client could misread: a bad status line, a malformed header line,
 * or a body whose length differs from Content-Length.
 */
export function parseWellFormedResponse(response: Buffer): ParsedHttpResponse {
  const headEnd = response.indexOf('\r\n\r\n');
  expect(headEnd, 'response has a blank line ending its head').toBeGreaterThan(0);
  const lines = response.toString('latin1', 0, headEnd).split('\r\n');
  const statusMatch = STATUS_LINE.exec(lines[0] ?? '');
  expect(statusMatch, `status line ${JSON.stringify(lines[0])}`).not.toBeNull();
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const match = HEADER_LINE.exec(line);
    expect(match, `header line ${JSON.stringify(line)}`).not.toBeNull();
    const name = match![1]!.toLowerCase();
    expect(headers.has(name), `header ${name} appears once`).toBe(false);
    headers.set(name, match![2]!);
  }
  const body = response.subarray(headEnd + 4);
  const status = Number(statusMatch![1]);
  if (status !== 101) {
    expect(headers.get('content-length')).toBe(String(body.length));
  }
  return { status, reason: statusMatch![2]!, headers, body: body.toString('utf8') };
}

/** Checks a refusal: well-formed, the expected status, closes the connection, and explains itself in plain text. */
export function expectRefusalResponse(response: Buffer, status: number): ParsedHttpResponse {
  const parsed = parseWellFormedResponse(response);
  expect(parsed.status).toBe(status);
  expect(parsed.headers.get('connection')?.toLowerCase()).toMatch(/(^|, )close$/);
  expect(parsed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(parsed.body.trim().length).toBeGreaterThan(0);
  return parsed;
}
