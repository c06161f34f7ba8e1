// Stand-ins for the topic hub and a room that record what the backplane hands them.
import type { RoomEndpoint, TopicBackplane, TopicHubLike } from '../../../src/backplane/contract.js';

export class RecordingHub implements TopicHubLike {
  backplane: TopicBackplane | null = null;
  readonly delivered: Array<{ topic: string; text: string; isText: boolean }> = [];

  attachBackplane(backplane: TopicBackplane | null): void {
    this.backplane = backplane;
  }

  deliverRemote(topic: string, data: Uint8Array, isText: boolean): void {
    this.delivered.push({ topic, text: Buffer.from(data).toString(), isText });
  }
}

export class RecordingRoom implements RoomEndpoint {
  readonly kind = 'godot4' as const;
  readonly members = new Set<number>();
  readonly events: string[] = [];
  readonly packets: Array<{ from: number; to: number; text: string }> = [];

  remoteJoined(id: number): void {
    this.members.add(id);
    this.events.push(`joined ${id}`);
  }

  remoteLeft(id: number): void {
    this.members.delete(id);
    this.events.push(`left ${id}`);
  }

  constructor(readonly room = 'r') {}

  deliver(fromId: number, toId: number, payload: Uint8Array): void {
    this.packets.push({ from: fromId, to: toId, text: Buffer.from(payload).toString() });
  }
}

/** Polls `condition` every few ms until true; fails after `timeoutMs` (a bound, not a timing assertion). */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
