import { randomPeerId } from '../server/peer-id.js';
import type { BackplaneContext } from './backplane-context.js';
import type { ChannelSubscriptions } from './channel-subscriptions.js';
import type { RoomEndpoint, RoomLink } from './contract.js';
import { decodeWireMessage, encodeMemberNotice, encodeRoomPacket, WireKind, type WireMessage } from './wire.js';

/** Tries at a unique id before giving up; with 31-bit random ids a second try is already rare. */
const RESERVE_ATTEMPTS = 8;

/** One room as this process sees it. */
class RoomView {
  /** Members whose connection is on this process. */
  readonly local = new Set<number>();
  /** Members on other processes, with the process that holds each. */
  readonly remote = new Map<number, string>();
  /** Reads of the member hash in flight, and the ids a message spoke of meanwhile (newer than the read). */
  reads = 0;
  readonly touched = new Set<number>();

  constructor(readonly endpoint: RoomEndpoint) {}

  has(id: number): boolean {
    return this.local.has(id) || this.remote.has(id);
  }
}

export interface ReservationSettings {
  reserveTtlMs: number;
}

/**
 * Godot rooms across processes. Members are recorded in a Redis hash (id -> process) so a
 * process attaching later, or coming back after an outage, can read who is there; joins,
 * leaves and packets travel on one pub/sub channel per room, published on one connection
 * per process, so each sender's messages arrive in the order it sent them.
 */
export class RoomBridge implements RoomLink {
  private readonly rooms = new Map<string, RoomView>();

  constructor(
    private readonly context: BackplaneContext,
    private readonly subscriptions: ChannelSubscriptions,
    private readonly settings: ReservationSettings,
  ) {}

  /** Resolves once the members already in other processes are known (or Redis could not say). */
  attach(room: string, endpoint: RoomEndpoint): Promise<void> {
    this.detach(room);
    this.rooms.set(room, new RoomView(endpoint));
    // Subscribe first, then read: a member joining in between is heard, not missed.
    this.subscriptions.add(this.context.keys.roomChannel(room), (message) => this.receive(room, message));
    return this.readMembers(room, false);
  }

  detach(room: string): void {
    const view = this.rooms.get(room);
    if (view === undefined) return;
    for (const id of [...view.local]) this.localLeft(room, id);
    this.rooms.delete(room);
    this.subscriptions.remove(this.context.keys.roomChannel(room));
  }

  async reserveId(room: string): Promise<number> {
    const { keys, commands, processId } = this.context;
    const view = this.rooms.get(room);
    const refuse = (why: string): Error => new Error(`Cannot give a peer id in room "${room}": ${why}`);
    if (this.context.closing) throw refuse('the backplane is closed');
    if (!this.context.ready) throw refuse(`Redis is unreachable (connection ${commands.status}), so the id could not be made unique across processes`);
    try {
      for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
        const id = randomPeerId((candidate) => view?.has(candidate) === true);
        // NX makes the id ours alone; PX lets a reservation whose process died expire by itself.
        if ((await commands.set(keys.reservation(room, id), processId, 'PX', this.settings.reserveTtlMs, 'NX')) !== 'OK') continue;
        // A member that joined long ago has no reservation left, but is in the hash.
        if ((await commands.hexists(keys.members(room), String(id))) === 0) return id;
      }
    } catch (error) {
      throw refuse(`Redis failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    throw refuse(`no free id after ${RESERVE_ATTEMPTS} tries`);
  }

  localJoined(room: string, id: number): void {
    const view = this.rooms.get(room);
    if (view === undefined) return;
    view.local.add(id);
    this.announce(room, id, WireKind.JOINED);
  }

  localLeft(room: string, id: number): void {
    const view = this.rooms.get(room);
    if (view === undefined) return;
    const { keys, commands, processId } = this.context;
    // Also for a connection gone between reserveId and its join: the id is free again.
    this.context.run(() => commands.del(keys.reservation(room, id)));
    if (!view.local.delete(id)) return;
    this.context.run(() => commands.hdel(keys.members(room), String(id)));
    this.context.publish(keys.roomChannel(room), encodeMemberNotice(WireKind.LEFT, processId, id));
  }

  forward(room: string, fromId: number, targetId: number, packet: Uint8Array): void {
    if (!this.rooms.has(room)) return;
    this.context.publish(this.context.keys.roomChannel(room), encodeRoomPacket(this.context.processId, fromId, targetId, packet));
  }

  /** The other processes holding members of rooms attached here. */
  remoteProcesses(): Set<string> {
    const processes = new Set<string>();
    for (const view of this.rooms.values()) for (const process of view.remote.values()) processes.add(process);
    return processes;
  }

  /** `process` stopped beating: its members leave every room, here and in the hash. */
  processGone(process: string): void {
    for (const [room, view] of this.rooms) {
      const gone = [...view.remote].filter(([, holder]) => holder === process).map(([id]) => id);
      if (gone.length === 0) continue;
      for (const id of gone) view.remote.delete(id);
      this.context.run(() => this.context.commands.hdel(this.context.keys.members(room), ...gone.map(String)));
      for (const id of gone) view.endpoint.remoteLeft(id);
    }
  }

  /** After Redis came back: record and announce our members again (Redis may have lost them, others may have given us up), then read theirs. */
  registerAgain(): void {
    for (const [room, view] of this.rooms) {
      for (const id of view.local) this.announce(room, id, WireKind.JOINED);
      void this.readMembers(room, false);
    }
  }

  /** Once every live process had time to register again: members missing from the hash left while we could not hear it. */
  reconcile(): void {
    for (const room of this.rooms.keys()) void this.readMembers(room, true);
  }

  /** Every local member leaves (the process is closing). */
  leaveAll(): void {
    for (const [room, view] of this.rooms) for (const id of [...view.local]) this.localLeft(room, id);
  }

  private announce(room: string, id: number, kind: WireKind.JOINED): void {
    const { keys, commands, processId } = this.context;
    this.context.run(() => commands.hset(keys.members(room), String(id), processId));
    this.context.publish(keys.roomChannel(room), encodeMemberNotice(kind, processId, id));
  }

  private readMembers(room: string, dropAbsent: boolean): Promise<void> {
    const view = this.rooms.get(room);
    if (view === undefined || !this.context.ready) return Promise.resolve();
    view.reads++;
    return this.context.commands.hgetall(this.context.keys.members(room)).then(
      (members) => {
        view.reads--;
        if (this.rooms.get(room) === view) this.merge(view, members, dropAbsent);
        if (view.reads === 0) view.touched.clear();
      },
      (error: unknown) => {
        view.reads--;
        this.context.commandFailed(error);
      },
    );
  }

  private merge(view: RoomView, members: Record<string, string>, dropAbsent: boolean): void {
    for (const [field, process] of Object.entries(members)) {
      const id = Number(field);
      if (process === this.context.processId || view.touched.has(id) || view.has(id)) continue;
      view.remote.set(id, process);
      view.endpoint.remoteJoined(id);
    }
    if (!dropAbsent) return;
    for (const id of [...view.remote.keys()]) {
      if (view.touched.has(id) || String(id) in members) continue;
      view.remote.delete(id);
      view.endpoint.remoteLeft(id);
    }
  }

  private receive(room: string, bytes: Buffer): void {
    const view = this.rooms.get(room);
    const message = decodeWireMessage(bytes);
    if (view === undefined || message === null || message.process === this.context.processId) return;
    this.context.stats.received++;
    this.apply(view, message);
  }

  private apply(view: RoomView, message: WireMessage): void {
    switch (message.kind) {
      case WireKind.JOINED:
        if (view.reads > 0) view.touched.add(message.id);
        this.joined(view, message.id, message.process);
        return;
      case WireKind.LEFT:
        if (view.reads > 0) view.touched.add(message.id);
        if (view.remote.get(message.id) !== message.process) return;
        view.remote.delete(message.id);
        view.endpoint.remoteLeft(message.id);
        return;
      case WireKind.PACKET:
        // A packet proves its sender is there, even when its join was before we attached and our read is not back yet.
        this.joined(view, message.from, message.process);
        if (message.target > 0 && !view.local.has(message.target)) return;
        view.endpoint.deliver(message.from, message.target, message.payload);
        return;
      default:
    }
  }

  private joined(view: RoomView, id: number, process: string): void {
    if (view.local.has(id) || view.remote.get(id) === process) return;
    const moved = view.remote.has(id);
    view.remote.set(id, process);
    if (!moved) view.endpoint.remoteJoined(id);
  }
}
