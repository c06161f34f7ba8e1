import { isToken, splitCommaList, trimOptionalWhitespace } from './http-grammar.js';

/** One `name[=value]` after an extension token; `value` is null when the parameter has none. */
export interface ExtensionParameter {
  /** Lower-cased. */
  readonly name: string;
  /** Unquoted and unescaped. */
  readonly value: string | null;
}

/** One element of a Sec-WebSocket-Extensions list: an extension and its parameters, in order. */
export interface ExtensionElement {
  /** Lower-cased. */
  readonly name: string;
  readonly params: readonly ExtensionParameter[];
}

/**
 * Splits a Sec-WebSocket-Extensions value (RFC 6455 section 9.1) into its
 * elements. A malformed element becomes null in place, so a server can
 * decline just that offer and still consider the others.
 */
export function parseExtensionList(value: string): Array<ExtensionElement | null> {
  return splitCommaList(value).map(parseExtensionElement);
}

/** One comma-list element: `token *( ";" token [ "=" ( token / quoted-string ) ] )`; null when malformed. */
export function parseExtensionElement(element: string): ExtensionElement | null {
  const parts = splitOutsideQuotes(element, ';');
  if (parts === null) return null;
  const name = trimOptionalWhitespace(parts[0]!);
  if (!isToken(name)) return null;
  const params: ExtensionParameter[] = [];
  for (let index = 1; index < parts.length; index++) {
    const parameter = parseParameter(parts[index]!);
    if (parameter === null) return null;
    params.push(parameter);
  }
  return { name: name.toLowerCase(), params };
}

/** Renders an element; values that are not tokens are sent as quoted strings. */
export function formatExtensionElement(element: ExtensionElement): string {
  let text = element.name;
  for (const { name, value } of element.params) {
    text += `; ${name}`;
    if (value !== null) text += `=${isToken(value) ? value : quote(value)}`;
  }
  return text;
}

function parseParameter(raw: string): ExtensionParameter | null {
  const equals = raw.indexOf('=');
  const name = trimOptionalWhitespace(equals === -1 ? raw : raw.slice(0, equals));
  if (!isToken(name)) return null;
  if (equals === -1) return { name: name.toLowerCase(), value: null };
  const rawValue = trimOptionalWhitespace(raw.slice(equals + 1));
  // RFC 6455 9.1: a quoted value, once unescaped, must still be a token.
  const value = rawValue.startsWith('"') ? unquote(rawValue) : rawValue;
  if (value === null || !isToken(value)) return null;
  return { name: name.toLowerCase(), value };
}

/** The content of a quoted-string that spans all of `text`, unescaped; null when it is not one. */
function unquote(text: string): string | null {
  let result = '';
  for (let index = 1; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\') {
      index++;
      if (index >= text.length) return null;
      result += text[index];
    } else if (char === '"') {
      return index === text.length - 1 ? result : null;
    } else {
      result += char;
    }
  }
  return null;
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Splits on `separator` outside quoted strings; null when a quoted string is left open. */
function splitOutsideQuotes(text: string, separator: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '\\') index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') {
      quoted = true;
    } else if (char === separator) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  if (quoted) return null;
  parts.push(text.slice(start));
  return parts;
}
