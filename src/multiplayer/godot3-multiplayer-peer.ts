import { GodotError } from '../godot-error.js';
import { MultiplayerPeerBase } from './multiplayer-peer-base.js';

type EventMap<T> = Record<keyof T, unknown[]>;

/**
 * Godot 3's WebSocketMultiplayerPeer, the base of its WebSocketServer and
 * WebSocketClient: with `gd_mp_api` on, every message carries the 9-byte
 * header and the object is a MultiplayerPeer (ids, targets, relay); with it
 * off, the MultiplayerPeer calls answer ERR_UNCONFIGURED and the connections
 * are used directly (`getPeer(id)`).
 */
export abstract class Godot3MultiplayerPeer<Events extends EventMap<Events>> extends MultiplayerPeerBase<Events> {
  private multiplayer = false;

  /** Detail of the last call that returned an error. */
  /** Whether connections are open, so the mode can no longer change. */
  protected abstract hasOpenConnections(): boolean;

  /**
   * Godot's high-level multiplayer protocol (`gd_mp_api`). `listen` and
   * `connectToUrl` set it; set it yourself only to serve upgrades from
   * node:http (`handleUpgrade`) without listening.
   */
  get gdMpApi(): boolean {
    return this.multiplayer;
  }
  set gdMpApi(enabled: boolean) {
    if (enabled === this.multiplayer) return;
    if (this.hasOpenConnections()) throw new Error('gdMpApi cannot change while connections are open');
    this.multiplayer = enabled;
    this.clearIncoming();
  }

  /**
   * Godot 3's buffer settings for connections opened from now on: sizes in
   * KiB and packet counts, rounded up to powers of two as Godot does (the
   * largest inbound message is then 2^n - 1 bytes). gdws has one packet limit
   * for both directions, the larger of the two.
   */
  setBuffers(inputBufferSizeKb: number, inputMaxPackets: number, outputBufferSizeKb: number, outputMaxPackets: number): GodotError {
    const values = [inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets];
    if (!values.every((value) => Number.isInteger(value) && value > 0)) {
      return this.recordError(GodotError.ERR_INVALID_PARAMETER, `setBuffers takes four positive integers, got ${values.join(', ')}`);
    }
    this.inboundBufferSize = powerOfTwoAtLeast(inputBufferSizeKb * 1024) - 1;
    this.outboundBufferSize = powerOfTwoAtLeast(outputBufferSizeKb * 1024) - 1;
    this.maxQueuedPackets = powerOfTwoAtLeast(Math.max(inputMaxPackets, outputMaxPackets)) - 1;
    return GodotError.OK;
  }

  protected requireMultiplayer(): boolean {
    if (this.multiplayer) return true;
    this.recordError(GodotError.ERR_UNCONFIGURED, 'Not using the multiplayer API (gdMpApi): use getPeer(id) to talk to a connection');
    return false;
  }

}

function powerOfTwoAtLeast(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}
