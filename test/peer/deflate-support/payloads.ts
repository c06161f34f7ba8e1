/** Deterministic payloads that compress like real traffic: text from a small vocabulary, binary records with noise. */

const VOCABULARY = [
  'godot', 'node', 'socket', 'frame', 'window', 'deflate', 'message', 'player', 'state', 'update',
  'position', 'velocity', 'rotation', 'health', 'score', 'lobby', 'ready', 'spawn', 'despawn', 'input',
];

function nextState(state: number): number {
  return (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
}

/** `length` bytes of ASCII text made of words (valid UTF-8, compresses about 3-4x). */
export function textPayload(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  let offset = 0;
  while (offset < length) {
    state = nextState(state);
    const word = VOCABULARY[state % VOCABULARY.length]!;
    offset += out.write(word, offset, 'latin1');
    if (offset < length) out[offset++] = state & 0x100 ? 0x20 : 0x2c;
  }
  return out;
}

/** `length` bytes of little records with some random bytes (compresses about 2x). */
export function binaryPayload(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let offset = 0; offset < length; offset++) {
    if ((offset & 15) === 0) state = nextState(state);
    out[offset] = (offset & 15) < 6 ? (state >>> ((offset & 3) * 8)) & 0xff : offset & 15;
  }
  return out;
}

/** Multi-byte UTF-8 text, so a bad cut or inflate would show up as invalid text. */
export function unicodeText(length: number, seed = 1): string {
  const pieces = ['héllo ', 'wörld ', 'ゴドー ', '😀 ', 'plain ascii text '];
  let state = seed;
  let text = '';
  while (Buffer.byteLength(text) < length) {
    state = nextState(state);
    text += pieces[state % pieces.length];
  }
  return text;
}

/** JSON text of game-state records, about `length` bytes. */
export function jsonPayload(length: number, seed = 1): Buffer {
  const records: string[] = [];
  let state = seed;
  let size = 2;
  while (size < length) {
    state = nextState(state);
    const record = JSON.stringify({
      id: state % 10_000,
      name: VOCABULARY[state % VOCABULARY.length],
      position: { x: (state % 2000) / 10, y: ((state >>> 8) % 2000) / 10 },
      tags: [VOCABULARY[(state >>> 4) % VOCABULARY.length], VOCABULARY[(state >>> 12) % VOCABULARY.length]],
      alive: (state & 1) === 0,
    });
    records.push(record);
    size += record.length + 1;
  }
  return Buffer.from(`[${records.join(',')}]`);
}

/** HTML text, about `length` bytes. */
export function htmlPayload(length: number, seed = 1): Buffer {
  let state = seed;
  let html = '<!doctype html><html><head><title>gdws</title></head><body>';
  while (html.length < length) {
    state = nextState(state);
    const word = VOCABULARY[state % VOCABULARY.length]!;
    html += `<div class="row ${word}"><a href="/${word}/${state % 997}">${word}</a><span>${state % 100}</span></div>\n`;
  }
  return Buffer.from(`${html}</body></html>`);
}

/** Pseudo-random bytes that DEFLATE cannot shrink (like an already compressed file). */
export function noisePayload(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let offset = 0; offset < length; offset++) {
    state = nextState(state);
    out[offset] = state >>> 16;
  }
  return out;
}
