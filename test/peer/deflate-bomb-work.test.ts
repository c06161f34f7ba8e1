import { InflateRaw } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, type ProtocolError } from '../../src/frame/index.js';
import { INFLATE_CHUNK_BYTES, MessageInflater } from '../../src/peer/message-inflater.js';
import { sleep } from './support/waiting.js';
import { zeroBomb } from './deflate-support/bombs.js';

/**
 * Counts what every zlib inflate stream outputs, below the library: a
 * stream's output goes through Readable's push, whoever reads it, so this
 * sees work zlib did even if the library ignored its result.
 */
function countInflateOutput(): { perStream: Map<object, number>; restore(): void } {
  const perStream = new Map<object, number>();
  const prototype = InflateRaw.prototype as unknown as { push(chunk: Buffer | null): boolean };
  const original = prototype.push;
  prototype.push = function (this: object, chunk: Buffer | null): boolean {
    if (chunk !== null) perStream.set(this, (perStream.get(this) ?? 0) + chunk.length);
    return original.call(this, chunk);
  };
  return { perStream, restore: () => void (prototype.push = original) };
}

const counters: Array<{ restore(): void }> = [];
const inflaters: MessageInflater[] = [];
afterEach(() => {
  for (const counter of counters.splice(0)) counter.restore();
  for (const inflater of inflaters.splice(0)) inflater.dispose();
});

describe('a compression bomb stops zlib itself', () => {
  it('20 bombs inflated at once: each stream produces at most the limit plus one piece, and nothing after the refusal', async () => {
    const bomb = await zeroBomb(64); // 1 MiB on the wire, 1 GiB inflated
    const limit = 1 << 20;
    const counter = countInflateOutput();
    counters.push(counter);
    const refusals = await Promise.all(
      Array.from({ length: 20 }, () => {
        const inflater = new MessageInflater(15, false);
        inflaters.push(inflater);
        return new Promise<ProtocolError | null>((resolve) => inflater.inflate(bomb, limit, (error) => resolve(error)));
      }),
    );
    expect(refusals.map((error) => error?.closeCode)).toEqual(Array(20).fill(CloseCode.MESSAGE_TOO_BIG));
    const atRefusal = [...counter.perStream.values()];
    expect(atRefusal).toHaveLength(20);
    for (const produced of atRefusal) expect(produced).toBeLessThanOrEqual(limit + INFLATE_CHUNK_BYTES);
    // zlib's thread-pool work in flight when the stream was stopped adds nothing later.
    await sleep(300);
    expect([...counter.perStream.values()]).toEqual(atRefusal);
  });
});
