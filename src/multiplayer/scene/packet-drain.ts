/** What an authority server reads packets from: a multiplayer peer's queue. */
export interface PacketSource {
  getAvailablePacketCount(): number;
  getPacketPeer(): number;
  getPacket(): Buffer;
}

/**
 * Reads every packet a multiplayer peer holds into `process`. Re-entry (a
 * handler that makes the peer deliver more) is ignored: the running loop
 * picks those packets up, so they are processed in order.
 */
export class PacketDrain {
  private draining = false;

  constructor(
    private readonly source: PacketSource,
    private readonly process: (from: number, packet: Buffer) => void,
  ) {}

  /** Drains while `active()` holds (the server is still attached). */
  run(active: () => boolean): void {
    if (this.draining || !active()) return;
    this.draining = true;
    try {
      while (active() && this.source.getAvailablePacketCount() > 0) {
        const from = this.source.getPacketPeer();
        this.process(from, this.source.getPacket());
      }
    } finally {
      this.draining = false;
    }
  }
}
