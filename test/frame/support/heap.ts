import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A context created after the flag is set gets a `gc` global; this lets the
// test measure what is retained rather than what is merely not yet collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Bytes of heap and ArrayBuffer memory still reachable after `work` that were not before. */
export function retainedGrowth(work: () => void): { heap: number; arrayBuffers: number } {
  collectGarbage();
  const before = process.memoryUsage();
  work();
  collectGarbage();
  const after = process.memoryUsage();
  return { heap: after.heapUsed - before.heapUsed, arrayBuffers: after.arrayBuffers - before.arrayBuffers };
}
