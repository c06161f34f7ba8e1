import type { LoadRecorder } from '../support/load-recorder.js';

/** One load cell: every connection keeps `inFlight` binary messages of `size` bytes outstanding. */
export interface LoadSpec {
  port: number;
  size: number;
  connections: number;
  inFlight: number;
}

export interface LoadDriver {
  /** Each connection sends its first `inFlight` messages; each echo then triggers the next send. */
  start(): void;
  stop(): void;
}

export type OpenLoadDriver = (spec: LoadSpec, recorder: LoadRecorder, fail: (error: Error) => void) => Promise<LoadDriver>;

/** Opens connections a batch at a time, so a listen backlog never overflows. */
export async function openInBatches<T>(count: number, open: (index: number) => Promise<T>, batch = 50): Promise<T[]> {
  const opened: T[] = [];
  for (let first = 0; first < count; first += batch) {
    const last = Math.min(count, first + batch);
    const pending: Promise<T>[] = [];
    for (let index = first; index < last; index++) pending.push(open(index));
    opened.push(...(await Promise.all(pending)));
  }
  return opened;
}
