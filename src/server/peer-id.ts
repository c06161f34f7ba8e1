import { getRandomValues } from 'node:crypto';

/** The server's id in both Godot generations. */
export const SERVER_PEER_ID = 1;

/** Largest id: ids are positive int32 because a negative target means "all but". */
export const MAX_PEER_ID = 0x7fffffff;

/**
 * A random id as Godot draws them: 31 bits, never 0 (nobody) or 1 (the
 * server), and, when `isTaken` is given, not already in use.
 */
export function randomPeerId(isTaken: (id: number) => boolean = () => false): number {
  const word = new Uint32Array(1);
  for (;;) {
    getRandomValues(word);
    const id = word[0]! & MAX_PEER_ID;
    if (id > SERVER_PEER_ID && !isTaken(id)) return id;
  }
}

/** Whether `value` can go in a 32-bit signed target field. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -0x80000000 && value <= MAX_PEER_ID;
}
