import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactHeaders, expandHeaders } from '../../src/peer/compact-headers.js';

describe('compact handshake headers', () => {
  it('expand back to the same names, values and order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), fc.string()), { selector: ([name]) => name, maxLength: 20 }), (entries) => {
        const headers = new Map(entries);
        const compact = compactHeaders(headers);
        expect([...expandHeaders(compact)]).toEqual(entries);
        // Every call gives a fresh Map: a caller changing it changes nothing kept.
        expandHeaders(compact).clear();
        expect([...expandHeaders(compact)]).toEqual(entries);
      }),
    );
  });

  it('keep an empty header map, and empty values, exactly', () => {
    expect(expandHeaders(compactHeaders(new Map())).size).toBe(0);
    expect([...expandHeaders(compactHeaders(new Map([['x-empty', ''], ['host', 'a']])))]).toEqual([
      ['x-empty', ''],
      ['host', 'a'],
    ]);
  });
});
