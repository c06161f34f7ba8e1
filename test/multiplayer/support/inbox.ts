import { until } from './events.js';

type PacketSource = {
  on(event: 'peerPacket', listener: (source: number) => void): unknown;
  getPacketPeer(): number;
  getPacket(): Buffer;
};

/** Reads each packet as it arrives, keeping [source, text] pairs. */
export class Inbox {
  readonly packets: Array<[number, string]> = [];

  constructor(peer: PacketSource) {
    peer.on('peerPacket', () => {
      const source = peer.getPacketPeer();
      this.packets.push([source, peer.getPacket().toString()]);
    });
  }

  /** Waits for the text `marker`, then returns (and forgets) everything that arrived before it. */
  async until(marker: string): Promise<Array<[number, string]>> {
    await until(() => this.packets.some(([, text]) => text === marker));
    const index = this.packets.findIndex(([, text]) => text === marker);
    const before = this.packets.slice(0, index);
    this.packets.splice(0, index + 1);
    return before;
  }
}
