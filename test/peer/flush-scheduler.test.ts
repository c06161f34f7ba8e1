import { setImmediate as nextIteration } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { scheduleFlush, servingOneConnection, type Flushable } from '../../src/peer/flush-scheduler.js';

function target(): Flushable & { flushes: number } {
  return {
    flushes: 0,
    flushNow() {
      this.flushes++;
    },
  };
}

/** Each socket read is its own callback with its own nextTick queue; this stands for one. */
function readCallback(targets: Flushable[]): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      for (const t of targets) scheduleFlush(t);
      resolve();
    });
  });
}

describe('flush scheduler', () => {
  it('flushes after the current stack, with one scheduled callback for every target', async () => {
    const a = target();
    scheduleFlush(a);
    scheduleFlush(a);
    expect(a.flushes).toBe(0);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(a.flushes).toBe(2);
  });

  it('reports one connection at a time after an iteration with one batch, and not after one with several', async () => {
    const a = target();
    const b = target();
    await readCallback([a]);
    await nextIteration();
    await nextIteration();
    expect(servingOneConnection()).toBe(true);

    // Two batches in one loop iteration: two read callbacks before the check phase.
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        scheduleFlush(a);
        process.nextTick(() => {
          // flushAll for a has run by now (it was queued first); b's batch is a second one in this iteration.
          scheduleFlush(b);
          resolve();
        });
      });
    });
    await nextIteration();
    await nextIteration();
    expect(servingOneConnection()).toBe(false);

    await readCallback([a, b]);
    await nextIteration();
    await nextIteration();
    // Both in one batch: the loop ran one batch in that iteration.
    expect(servingOneConnection()).toBe(true);
  });
});
