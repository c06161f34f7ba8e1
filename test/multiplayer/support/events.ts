import type { EventEmitter } from 'node:events';

type AnyEmitter = Pick<EventEmitter, 'on' | 'off'>;

/** Resolves with the arguments of the next `name` event that satisfies `accept`. */
export function nextEvent<Args extends unknown[] = unknown[]>(emitter: AnyEmitter, name: string, accept: (...args: Args) => boolean = () => true): Promise<Args> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]): void => {
      if (!accept(...(args as Args))) return;
      emitter.off(name, listener);
      resolve(args as Args);
    };
    emitter.on(name, listener);
  });
}

/** Records every `name` event's arguments from now on. */
export function record<Args extends unknown[] = unknown[]>(emitter: AnyEmitter, name: string): Args[] {
  const seen: Args[] = [];
  emitter.on(name, (...args: unknown[]) => seen.push(args as Args));
  return seen;
}

/** Polls `condition` on the event loop until it holds (no wall-clock assertion: the test timeout bounds it). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
