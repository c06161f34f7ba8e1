import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** V8's collector, reachable without starting Node with --expose-gc. */
const collectGarbage = runInNewContext('gc') as () => void;

export interface MemorySample {
  /** Bytes of live JavaScript objects. */
  heapUsed: number;
  /** Bytes of live ArrayBuffers (Buffer contents). */
  arrayBuffers: number;
}

/** Live memory after a full collection, so what is measured is what is still held. */
export function liveMemory(): MemorySample {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers };
}

export function growth(from: MemorySample, to: MemorySample): MemorySample {
  return { heapUsed: to.heapUsed - from.heapUsed, arrayBuffers: to.arrayBuffers - from.arrayBuffers };
}

export const MiB = 1 << 20;
