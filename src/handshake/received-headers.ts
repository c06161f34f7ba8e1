import { isFieldValue, isToken, trimOptionalWhitespace } from './http-grammar.js';

/**
 * Adds one received header line to `headers` (lower-case names, repeated
 * headers joined with ", " as RFC 9110 section 5.3 allows for list fields).
 * Returns a description of the problem when the line is not a valid field line.
 */
export function addReceivedHeaderLine(headers: Map<string, string>, line: string): string | null {
  const first = line.charCodeAt(0);
  if (first === 0x20 || first === 0x09) return 'folded (indented) header lines are not allowed';
  const colon = line.indexOf(':');
  if (colon === -1) return `header line ${quoteForMessage(line)} has no colon`;
  const name = line.slice(0, colon);
  if (!isToken(name)) return `header name ${quoteForMessage(name)} is not an HTTP token`;
  const value = trimOptionalWhitespace(line.slice(colon + 1));
  if (!isFieldValue(value)) return `value of header ${name} contains a control character`;
  const key = name.toLowerCase();
  const previous = headers.get(key);
  headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  return null;
}

/** Quotes untrusted text for an error message, keeping messages short whatever the peer sent. */
export function quoteForMessage(text: string): string {
  const limit = 80;
  return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}...` : text);
}
