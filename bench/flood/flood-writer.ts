import type { Socket } from 'node:net';

/**
 * Writes `batch` over and over as fast as the socket takes it, until the
 * deadline, `shouldStop()`, the socket closing, or `maxBytes`: every flood
 * is bounded in time and in size. Yields to the event loop after every
 * batch so that the attacker still sees what the server sends back.
 */
export interface FloodProgress {
  bytes: number;
  /** Seconds since the start when writes stopped making progress (waiting for 'drain' at the end), or null. */
  stalledSince: number | null;
}

export async function floodWrites(
  socket: Socket,
  batch: Buffer,
  startedAt: number,
  deadline: number,
  shouldStop: () => boolean = () => false,
  maxBytes = 8 * 1024 ** 3,
): Promise<FloodProgress> {
  let bytes = 0;
  let stalledSince: number | null = null;
  while (performance.now() < deadline && !shouldStop() && !socket.destroyed && !socket.writableEnded && bytes < maxBytes) {
    const flushed = socket.write(batch);
    bytes += batch.length;
    if (flushed) {
      stalledSince = null;
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    const waitStart = performance.now();
    const drained = await waitForDrain(socket, deadline);
    stalledSince = drained ? null : (waitStart - startedAt) / 1000;
  }
  return { bytes, stalledSince };
}

function waitForDrain(socket: Socket, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (drained: boolean): void => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      resolve(drained);
    };
    const onDrain = (): void => finish(true);
    const onClose = (): void => finish(false);
    const timer = setTimeout(() => finish(false), Math.max(0, deadline - performance.now()));
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function describeProgress(progress: FloodProgress): string {
  const sent = `${(progress.bytes / 1024 ** 2).toFixed(1)} MiB sent`;
  return progress.stalledSince === null ? sent : `${sent}, writes stalled from ${progress.stalledSince.toFixed(2)} s`;
}
