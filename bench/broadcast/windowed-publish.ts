/**
 * The publishing loop of the broadcast benchmarks: stamped 1 KiB messages,
 * at most WINDOW of them in flight beyond the slowest receiver, so no
 * server (or Redis) queues without bound and fan-out latency stays a
 * property of the path, not of how far ahead the publisher ran.
 */

export const PAYLOAD_LENGTH = 1024;
export const WINDOW = 32;

/** Where the publisher learns how far the slowest receiver has got. */
export interface DeliveryProgress {
  /** The fewest messages any receiver has. */
  readonly least: number;
  /** Resolves at the next progress report. */
  progressed(): Promise<void>;
}

/** A message whose first 8 bytes are hrtime now: the same monotonic clock in every process of the machine. */
export function stampedPayload(): Buffer {
  const payload = Buffer.alloc(PAYLOAD_LENGTH, 0x61);
  payload.writeBigUInt64LE(process.hrtime.bigint(), 0);
  return payload;
}

/**
 * Publishes `messages` stamped payloads and resolves once every receiver has
 * them all. `guard` wraps each wait for progress (for example to race it
 * against a deadline).
 */
export async function publishWindowed(
  publish: (payload: Buffer) => void,
  messages: number,
  progress: DeliveryProgress,
  guard: (wait: Promise<void>) => Promise<void> = (wait) => wait,
): Promise<void> {
  let published = 0;
  while (progress.least < messages) {
    while (published < messages && published - progress.least < WINDOW) {
      publish(stampedPayload());
      published++;
    }
    await guard(progress.progressed());
  }
}
