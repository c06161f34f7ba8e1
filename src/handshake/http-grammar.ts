/**
 * The few pieces of HTTP/1.1 syntax (RFC 9110 section 5.6, RFC 9112) that the
 * handshake needs, shared by the request and response sides.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A field value may hold tab, visible ASCII, spaces and obs-text (bytes 0x80-0xFF,
 * which latin1 decoding maps one-to-one to code points). Anything else, notably CR,
 * LF and NUL, would let a value end a line early or smuggle in another header.
 */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const OPTIONAL_WHITESPACE_AT_EDGES = /^[\t ]+|[\t ]+$/g;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

export function isFieldValue(text: string): boolean {
  return FIELD_VALUE.test(text);
}

export function trimOptionalWhitespace(text: string): string {
  return text.replace(OPTIONAL_WHITESPACE_AT_EDGES, '');
}

/**
 * Splits a comma-separated field value into its trimmed, non-empty elements.
 * Commas inside quoted strings (extension parameters may use them) do not split.
 */
export function splitCommaList(value: string): string[] {
  const elements: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (quoted) {
      if (char === '\\') index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      pushElement(elements, value.slice(start, index));
      start = index + 1;
    }
  }
  pushElement(elements, value.slice(start));
  return elements;
}

function pushElement(elements: string[], raw: string): void {
  const element = trimOptionalWhitespace(raw);
  if (element !== '') elements.push(element);
}

/** Whether a comma-list header value (such as Connection or Upgrade) names `token`, ignoring case. */
export function listIncludesToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  const wanted = token.toLowerCase();
  return splitCommaList(value).some((element) => element.toLowerCase() === wanted);
}
