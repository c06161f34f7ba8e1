import { isValidUtf8 } from '../driver/raw-peer.js';

/**
 * The byte sequences of the testsuite's UTF-8 cases 6.5 to 6.23, which follow
 * Markus Kuhn's UTF-8 decoder stress test: each category becomes case group
 * 6.N and each sequence case 6.N.M, in this order.
 */

export interface Utf8Sequence {
  valid: boolean;
  bytes: Buffer;
}

export interface Utf8Category {
  title: string;
  sequences: Utf8Sequence[];
}

const hex = (digits: string): Buffer => Buffer.from(digits.replace(/\s+/g, ''), 'hex');
const valid = (digits: string): Utf8Sequence => ({ valid: true, bytes: hex(digits) });
const invalid = (digits: string): Utf8Sequence => ({ valid: false, bytes: hex(digits) });
const ascii = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

/** "κόσμε": Greek, with 2- and 3-byte sequences; used by several cases. */
export const KOSME_HEX = 'ceba e1bdb9 cf83 cebc ceb5';

/** Every byte from `first` up to but excluding `end`, each followed by a space, as in the stress test's 3.2. */
function lonelyStarts(first: number, end: number): Utf8Sequence {
  const bytes: number[] = [];
  for (let byte = first; byte < end; byte++) bytes.push(byte, 0x20);
  return { valid: false, bytes: Buffer.from(bytes) };
}

/** Sequences whose last continuation byte is missing (stress test 3.3); 3.4 concatenates them. */
const TRUNCATED_SEQUENCES = ['c0', 'e080', 'f08080', 'f8808080', 'fc80808080', 'df', 'efbf', 'f7bfbf', 'fbbfbfbf', 'fdbfbfbfbf'];

function nonCharacters(): Utf8Sequence[] {
  const sequences = [valid('efbfbe'), valid('efbfbf')];
  for (const lead of ['f0', 'f1', 'f2', 'f3', 'f4']) {
    for (const second of ['8f', '9f', 'af', 'bf']) {
      // Beyond U+10FFFF, so not valid UTF-8 at all.
      if (lead === 'f4' && second !== '8f') continue;
      for (const last of ['be', 'bf']) {
        const digits = `${lead}${second}bf${last}`;
        // f0 8f .. is an overlong encoding, not a non-character.
        if (digits === 'f08fbfbe' || digits === 'f08fbfbf') continue;
        sequences.push(valid(digits));
      }
    }
  }
  return sequences;
}

function allPrefixes(): Utf8Sequence[] {
  const whole = hex(KOSME_HEX);
  const sequences: Utf8Sequence[] = [];
  // A prefix is a valid message only when it ends on a code point boundary.
  for (let length = 1; length <= whole.length; length++) {
    const bytes = whole.subarray(0, length);
    sequences.push({ valid: isValidUtf8(bytes), bytes: Buffer.from(bytes) });
  }
  return sequences;
}

function continuationRun(): Utf8Sequence {
  const bytes: number[] = [];
  for (let byte = 0x80; byte < 0xbf; byte++) bytes.push(byte);
  return { valid: false, bytes: Buffer.from(bytes) };
}

export const UTF8_CATEGORIES: Utf8Category[] = [
  {
    title: 'some valid UTF-8 sequences',
    sequences: [
      valid(`${ascii('hello')} 24 ${ascii('world')}`),
      valid(`${ascii('hello')} c2a2 ${ascii('world')}`),
      valid(`${ascii('hello')} e282ac ${ascii('world')}`),
      valid(`${ascii('hello')} f0a4ada2 ${ascii('world')}`),
      valid(KOSME_HEX),
    ],
  },
  { title: 'all prefixes of a valid string with multi-byte code points', sequences: allPrefixes() },
  {
    title: 'first possible sequence of each length',
    sequences: [valid('00'), valid('c280'), valid('e0a080'), valid('f0908080')],
  },
  {
    title: 'first possible sequence of length 5 and 6 (invalid code points)',
    sequences: [invalid('f888808080'), invalid('fc8480808080')],
  },
  {
    title: 'last possible sequence of each length',
    sequences: [valid('7f'), valid('dfbf'), valid('efbfbf'), valid('f48fbfbf')],
  },
  {
    title: 'last possible sequence of length 4, 5 and 6 (invalid code points)',
    sequences: [invalid('f7bfbfbf'), invalid('fbbfbfbfbf'), invalid('fdbfbfbfbfbf')],
  },
  {
    title: 'other boundary conditions',
    sequences: [valid('ed9fbf'), valid('ee8080'), valid('efbfbd'), valid('f48fbfbf'), invalid('f4908080')],
  },
  {
    title: 'unexpected continuation bytes',
    sequences: [
      invalid('80'),
      invalid('bf'),
      invalid('80bf'),
      invalid('80bf80'),
      invalid('80bf80bf'),
      invalid('80bf80bf80'),
      invalid('80bf80bf80bf'),
      continuationRun(),
    ],
  },
  {
    title: 'lonely start bytes',
    sequences: [lonelyStarts(0xc0, 0xdf), lonelyStarts(0xe0, 0xef), lonelyStarts(0xf0, 0xf7), lonelyStarts(0xf8, 0xfb), lonelyStarts(0xfc, 0xfd)],
  },
  { title: 'sequences with the last continuation byte missing', sequences: TRUNCATED_SEQUENCES.map(invalid) },
  { title: 'concatenation of incomplete sequences', sequences: [invalid(TRUNCATED_SEQUENCES.join(''))] },
  { title: 'impossible bytes', sequences: [invalid('fe'), invalid('ff'), invalid('fefeffff')] },
  {
    title: 'overlong encodings of an ASCII character',
    sequences: [invalid('c0af'), invalid('e080af'), invalid('f08080af'), invalid('f8808080af'), invalid('fc80808080af')],
  },
  {
    title: 'maximum overlong sequences',
    sequences: [invalid('c1bf'), invalid('e09fbf'), invalid('f08fbfbf'), invalid('f887bfbfbf'), invalid('fc83bfbfbfbf')],
  },
  {
    title: 'overlong encodings of NUL',
    sequences: [invalid('c080'), invalid('e08080'), invalid('f0808080'), invalid('f880808080'), invalid('fc8080808080')],
  },
  {
    title: 'single UTF-16 surrogates',
    sequences: ['eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf'].map(invalid),
  },
  {
    title: 'paired UTF-16 surrogates',
    sequences: [
      'eda080 edb080',
      'eda080 edbfbf',
      'edadbf edb080',
      'edadbf edbfbf',
      'edae80 edb080',
      'edae80 edbfbf',
      'edafbf edb080',
      'edafbf edbfbf',
    ].map(invalid),
  },
  { title: 'non-character code points (valid UTF-8)', sequences: nonCharacters() },
  {
    title: 'Unicode specials such as the replacement character',
    sequences: ['efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf'].map(valid),
  },
];

/** Case group number of the first category. */
export const FIRST_UTF8_CATEGORY_GROUP = 5;
