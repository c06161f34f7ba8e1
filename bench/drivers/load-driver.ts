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

/** A LoadDriver from each connection's starter and one call that ends every connection. */
export function driverOf(starters: Array<() => void>, stopAll: () => void): LoadDriver {
  return {
    start() {
      for (const start of starters) start();
    },
    stop: stopAll,
  };
}

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

/**
 * One client connection's view of its echoes: checks the first byte for byte
 * (and the size of the rest), and times each against the send it answers
 * (echoes come back in send order, `inFlight` at a time).
 */
export class EchoTracker {
  private readonly sendTimes: Float64Array;
  private oldest = 0;
  private verified = false;

  constructor(
    private readonly spec: LoadSpec,
    private readonly payload: Buffer,
    private readonly recorder: LoadRecorder,
    private readonly fail: (error: Error) => void,
  ) {
    this.sendTimes = new Float64Array(spec.inFlight);
  }

  /** The first `inFlight` messages are being sent now. */
  started(): void {
    this.sendTimes.fill(performance.now());
  }

  /** An echo arrived; the caller sends the next message right after. */
  echoed(data: Buffer): void {
    const now = performance.now();
    if (!this.verified) {
      if (!data.equals(this.payload)) this.fail(new Error('An echo differs from the message sent'));
      this.verified = true;
    } else if (data.length !== this.spec.size) {
      this.fail(new Error(`Echo of ${data.length} bytes, sent ${this.spec.size}`));
    }
    this.recorder.echoed(now - this.sendTimes[this.oldest]!, data.length);
    this.sendTimes[this.oldest] = now;
    this.oldest = this.oldest + 1 === this.spec.inFlight ? 0 : this.oldest + 1;
  }
}
