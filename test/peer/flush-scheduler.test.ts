import { setImmediate as nextIteration } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FlushScheduler, type Flushable } from '../../src/peer/flush-scheduler.js';

function target(): Flushable & { flushes: number } {
  return {
    flushes: 0,
    flushNow() {
      this.flushes++;
    },
  };
}

/** Stands for one socket read: its own callback, with its own nextTick queue drained after it. */
function readCallback(run: () => void): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      run();
      process.nextTick(resolve);
    });
  });
}

describe('flush scheduler', () => {
  const scheduler = new FlushScheduler();
  it('flushes in the check phase, after the reads of the iteration and their nextTicks, not before', async () => {
    const a = target();
    let flushesSeenByNextTick = -1;
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        scheduler.schedule(a);
        scheduler.schedule(a);
        process.nextTick(() => {
          flushesSeenByNextTick = a.flushes;
          resolve();
        });
      });
    });
    expect(flushesSeenByNextTick).toBe(0);
    await nextIteration();
    expect(a.flushes).toBe(2);
  });

  it('gathers every read callback of one iteration into one flush', async () => {
    const a = target();
    const b = target();
    let flushedBetween = -1;
    // Two I/O-like callbacks queued for the same phase, as two socket reads would be.
    await Promise.all([
      readCallback(() => scheduler.schedule(a)),
      readCallback(() => {
        flushedBetween = a.flushes;
        scheduler.schedule(b);
      }),
    ]);
    await nextIteration();
    expect(flushedBetween).toBe(0);
    expect([a.flushes, b.flushes]).toEqual([1, 1]);
  });

  it('reports one connection at a time after a flush of one connection, and not after a flush of several', async () => {
    const a = target();
    const b = target();
    await readCallback(() => {
      scheduler.schedule(a);
      scheduler.schedule(a);
    });
    await nextIteration();
    expect(scheduler.servingOneConnection()).toBe(true);

    await readCallback(() => {
      scheduler.schedule(a);
      scheduler.schedule(b);
    });
    await nextIteration();
    expect(scheduler.servingOneConnection()).toBe(false);

    await readCallback(() => scheduler.schedule(b));
    await nextIteration();
    expect(scheduler.servingOneConnection()).toBe(true);
  });
});
