import type { EventEmitter } from 'node:events';

/**
 * Waits in tests are bounds on "this eventually happens", never measurements:
 * they are generous because the machine is shared and slow at times.
 */
export const DEFAULT_WAIT_MS = 10_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The arguments of the next `event` from `emitter`; rejects after the wait. */
export function nextEvent<T extends unknown[] = unknown[]>(emitter: EventEmitter<any>, event: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Polls `condition` until it holds; rejects with `description` after the wait. */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await sleep(5);
  }
}

/** Records every emission of the named events, in order, as [event, ...args]. */
export function recordEvents(emitter: EventEmitter<any>, events: string[]): Array<[string, ...unknown[]]> {
  const log: Array<[string, ...unknown[]]> = [];
  for (const event of events) emitter.on(event, (...args: unknown[]) => log.push([event, ...args]));
  return log;
}
