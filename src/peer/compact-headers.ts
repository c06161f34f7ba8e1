/**
 * Handshake headers, kept for the life of a connection as one flat string
 * instead of a Map of small (often sliced) strings: about 200 bytes instead
 * of about 1.4 KiB per idle connection. The Map is rebuilt when asked for.
 */
export type CompactHeaders = string | ReadonlyMap<string, string>;

/** Header names are tokens and values hold no control characters, so NUL cannot occur in either. */
const SEPARATOR = '\0';

export function compactHeaders(headers: ReadonlyMap<string, string>): CompactHeaders {
  const parts: string[] = [];
  for (const [name, value] of headers) {
    // Headers from an outside parser (node:http) are kept as they are if they break that rule.
    if (name.includes(SEPARATOR) || value.includes(SEPARATOR)) return headers;
    parts.push(name, value);
  }
  // join() copies into a new flat string, so the request text the parts were sliced from is not retained.
  return parts.join(SEPARATOR);
}

export function expandHeaders(compact: CompactHeaders): Map<string, string> {
  if (typeof compact !== 'string') return new Map(compact);
  const headers = new Map<string, string>();
  if (compact === '') return headers;
  const parts = compact.split(SEPARATOR);
  for (let i = 0; i + 1 < parts.length; i += 2) headers.set(parts[i]!, parts[i + 1]!);
  return headers;
}

/**
 * A flat copy of `text`: a URL built by concatenation is a tree of string
 * pieces (some of them slices that keep whole request lines alive), and it
 * would stay so for the life of the connection.
 */
export function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
