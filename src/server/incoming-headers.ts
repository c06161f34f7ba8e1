import type { IncomingMessage } from 'node:http';

/** node:http's parsed headers in src/handshake's form: lower-case names, repeats joined with ", ". */
export function headersFromIncomingMessage(request: IncomingMessage): Map<string, string> {
  const headers = new Map<string, string>();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return headers;
}
