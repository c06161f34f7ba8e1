import { EventEmitter } from 'node:events';
import { resolveDeflateOption, type DeflateOptions, type DeflateSettings } from './deflate-options.js';
import { positiveInteger } from './peer-config.js';
import type { WebSocketPeerEvents } from './peer-events.js';
import { copyPeerOptions, type PeerOptions } from './peer-options.js';
import { ReadyState } from './ready-state.js';
import type { SocketBinding } from './socket-binding.js';
import { PacketVariantIo } from './packet-variant.js';
import type { GodotGeneration } from '../variant/index.js';

/**
 * Godot's WebSocketPeer properties, backed by PeerOptions: shared with the
 * owner's other peers until one is changed, then copied (the peer's own).
 * A change reaches the open connection where Godot's does.
 */
export abstract class PeerSettings extends EventEmitter<WebSocketPeerEvents> {
  protected options: PeerOptions;
  private ownsOptions = false;
  /** @internal The current (or last) connection attempt; null before the first. */
  protected binding: SocketBinding | null = null;

  constructor(options: Readonly<PeerOptions>) {
    super();
    // Most peers (those a server owns) never get a listener: let EventEmitter
    // create its listener table on the first on(), as it does for an unset
    // one, instead of ~180 bytes per idle connection now.
    (this as unknown as { _events: undefined })._events = undefined;
    this.options = options;
  }

  get inboundBufferSize(): number {
    return this.options.inboundBufferSize;
  }
  set inboundBufferSize(value: number) {
    this.ownOptions().inboundBufferSize = positiveInteger(value, 'inboundBufferSize');
    const connection = this.binding?.connection;
    if (connection) connection.assembler.maxMessageSize = value;
  }
  get outboundBufferSize(): number {
    return this.options.outboundBufferSize;
  }
  set outboundBufferSize(value: number) {
    this.ownOptions().outboundBufferSize = positiveInteger(value, 'outboundBufferSize');
    const connection = this.binding?.connection;
    if (connection) connection.outboundLimit = value;
  }
  get maxQueuedPackets(): number {
    return this.options.maxQueuedPackets;
  }
  set maxQueuedPackets(value: number) {
    this.ownOptions().maxQueuedPackets = positiveInteger(value, 'maxQueuedPackets');
  }
  get handshakeHeaders(): string[] {
    return [...this.options.handshakeHeaders];
  }
  set handshakeHeaders(value: string[]) {
    this.ownOptions().handshakeHeaders = [...value];
  }
  get supportedProtocols(): string[] {
    return [...this.options.supportedProtocols];
  }
  set supportedProtocols(value: string[]) {
    this.ownOptions().supportedProtocols = [...value];
  }
  get heartbeatInterval(): number {
    return this.options.heartbeatInterval;
  }
  set heartbeatInterval(seconds: number) {
    if (!(seconds >= 0)) throw new RangeError('heartbeatInterval must be a number of seconds >= 0');
    this.ownOptions().heartbeatInterval = seconds;
    if (this.binding?.state === ReadyState.OPEN) this.binding.startHeartbeat();
  }
  get handshakeTimeoutMs(): number {
    return this.options.handshakeTimeoutMs;
  }
  /** permessage-deflate for connections this peer opens: `true`, options, or false/null (off, the default). */
  get deflate(): Readonly<DeflateSettings> | null {
    return this.options.deflate;
  }
  set deflate(value: boolean | DeflateOptions | null) {
    this.ownOptions().deflate = resolveDeflateOption(value);
  }
  /** Client: connect over HTTP/2 (RFC 8441) instead of an HTTP/1.1 upgrade; see PeerOptions.http2. */
  get http2(): boolean {
    return this.options.http2 === true;
  }
  set http2(enabled: boolean) {
    this.ownOptions().http2 = enabled === true;
  }
  set handshakeTimeoutMs(value: number) {
    this.ownOptions().handshakeTimeoutMs = positiveInteger(value, 'handshakeTimeoutMs');
  }

  // ---- PacketPeer's Variant settings (put_var / get_var) ----

  /** Created on first use: most peers never put or get a Variant. */
  private variantState: PacketVariantIo | null = null;
  protected get variantIo(): PacketVariantIo {
    return (this.variantState ??= new PacketVariantIo(4));
  }

  /** Which Godot's Variant format putVar/getVar speak: 4 (default) or 3 (peers of the Godot 3 WebSocketServer/WebSocketClient). */
  get variantGeneration(): GodotGeneration {
    return this.variantIo.generation;
  }
  set variantGeneration(generation: GodotGeneration) {
    this.variantIo.generation = PacketVariantIo.checkGeneration(generation);
  }
  /** Largest value putVar sends, in bytes (Godot's `encode_buffer_max_size`, 8 MiB; set values round up to a power of two). */
  get encodeBufferMaxSize(): number {
    return this.variantIo.encodeBufferMaxSize;
  }
  set encodeBufferMaxSize(size: number) {
    this.variantIo.encodeBufferMaxSize = size;
  }
  /** Godot 3's `allow_object_decoding`: getVar accepts and putVar writes full objects even without `allowObjects` / `fullObjects`. */
  get allowObjectDecoding(): boolean {
    return this.variantIo.allowObjectDecoding;
  }
  set allowObjectDecoding(enabled: boolean) {
    this.variantIo.allowObjectDecoding = enabled;
  }


  private ownOptions(): PeerOptions {
    if (!this.ownsOptions) {
      this.options = copyPeerOptions(this.options);
      this.ownsOptions = true;
      if (this.binding !== null) this.binding.options = this.options;
    }
    return this.options;
  }
}
