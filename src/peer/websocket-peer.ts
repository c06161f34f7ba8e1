import type { Socket } from 'node:net';
import { CloseCode, isValidUtf8 } from '../frame/index.js';
import { GodotError } from '../godot-error.js';
import type { UpgradeRequest } from '../handshake/index.js';
import { expandHeaders } from './compact-headers.js';
import { runClientHandshake, runServerHandshake } from './handshake-runner.js';
import type { PeerError, PeerObserver } from './peer-events.js';
import { completeHandshake } from './peer-handshake.js';
import { DEFAULT_PEER_OPTIONS, type PeerOptions } from './peer-options.js';
import { PeerSettings } from './peer-settings.js';
import { ReadyState, WriteMode } from './ready-state.js';
import { SocketBinding } from './socket-binding.js';
import type { TLSOptions } from './tls-options.js';
import { getVariant, PacketVariantIo, putVariant } from './packet-variant.js';
import type { EncodableVariant, GodotGeneration, Variant } from '../variant/index.js';

export { FRAMES_PER_TURN } from './socket-binding.js';

export type { PeerError, PeerObserver, WebSocketPeerEvents } from './peer-events.js';

const EMPTY = Buffer.alloc(0);
const IN_USE = 'This peer is already connected or connecting';

/**
 * One WebSocket connection, client or server side: Godot's WebSocketPeer
 * (3.x packet API and 4.x `send`/`connectToUrl`/`acceptStream`) bound to one
 * node:net or node:tls socket. Events fire from Node's event loop; `poll()`
 * is kept for code ported from Godot and costs nothing. The connection
 * itself (socket, protocol core, timers, facts) lives in a SocketBinding per
 * attempt; this class is the Godot facade over it.
 */
export class WebSocketPeer extends PeerSettings {
  private writeMode: WriteMode = WriteMode.BINARY;
  private lastWasString = false;
  private packetError: GodotError = GodotError.OK;
  /** Detail of the last call that returned an error. */
  lastError: PeerError | null = null;
  /** @internal The server, client or multiplayer peer that owns this peer. */
  observer: PeerObserver | null = null;
  /** @internal The owner's id for this peer. */
  tag = 0;

  constructor(options: Readonly<PeerOptions> = DEFAULT_PEER_OPTIONS) {
    super(options);
  }

  // ---- Godot 4 entry points ---------------------------------------------

  /**
   * Connects as a client. Resolves OK once open, or the error that stopped it
   * (ERR_INVALID_PARAMETER for a bad URL or header, nothing sent then).
   * The `connectionEstablished` / `connectionError` events fire as well.
   */
  connectToUrl(url: string, tlsOptions?: TLSOptions): Promise<GodotError> {
    const binding = this.begin(false, null);
    if (binding === null) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, IN_USE));
    return completeHandshake(binding, runClientHandshake(this.options, url, tlsOptions, (socket) => (binding.handshakeSocket = socket)));
  }

  /** Adopts an accepted TCP/TLS socket and runs the server handshake on it. */
  acceptStream(socket: Socket): Promise<GodotError> {
    const binding = this.begin(true, socket);
    if (binding === null) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, IN_USE));
    return completeHandshake(binding, runServerHandshake(this.options, socket, null, EMPTY));
  }

  /** Adopts an upgrade request that node:http has already parsed (`server.on('upgrade')`). */
  acceptUpgrade(socket: Socket, request: Omit<UpgradeRequest, 'rest'>, head: Buffer): Promise<GodotError> {
    const binding = this.begin(true, socket);
    if (binding === null) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, IN_USE));
    return completeHandshake(binding, runServerHandshake(this.options, socket, request, head));
  }

  // ---- packets ----------------------------------------------------------

  getAvailablePacketCount(): number {
    return this.binding?.inbound?.count ?? 0;
  }

  /** The next received message (UTF-8 bytes for text); empty with `getPacketError()` ERR_UNAVAILABLE when none. */
  getPacket(): Buffer {
    const binding = this.binding;
    const inbound = binding?.inbound;
    if (!inbound || inbound.count === 0) {
      this.packetError = GodotError.ERR_UNAVAILABLE;
      return EMPTY;
    }
    this.lastWasString = inbound.peekIsText();
    this.packetError = GodotError.OK;
    return binding!.takePacket();
  }

  getPacketError(): GodotError {
    return this.packetError;
  }

  // ---- Godot values: PacketPeer put_var / get_var (src/peer/packet-variant.ts) ----

  private readonly variantIo = new PacketVariantIo(4);

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

  /** Sends a Godot value as one message in the current write mode (Godot's `put_var`). */
  putVar(value: EncodableVariant, fullObjects = false): GodotError {
    const outcome = putVariant(this.variantIo, this, value, fullObjects);
    if (typeof outcome === 'number') return outcome;
    this.lastError = { code: outcome.code, message: outcome.message };
    return outcome.code;
  }

  /** The next message as a Godot value (Godot's `get_var`); null with `getPacketError()` and `lastError` saying why when there is none or it is not a valid Variant. */
  getVar(allowObjects = false): Variant {
    const outcome = getVariant(this.variantIo, this, allowObjects);
    if ('value' in outcome) return outcome.value;
    this.packetError = outcome.code;
    this.lastError = { code: outcome.code, message: outcome.message };
    return null;
  }

  wasStringPacket(): boolean {
    return this.lastWasString;
  }

  setWriteMode(mode: WriteMode): void {
    if (mode !== WriteMode.TEXT && mode !== WriteMode.BINARY) throw new RangeError(`Unknown write mode ${mode}`);
    this.writeMode = mode;
  }

  getWriteMode(): WriteMode {
    return this.writeMode;
  }

  /** Sends one message in the current write mode (Godot's `put_packet`). */
  putPacket(data: Uint8Array): GodotError {
    return this.send(data, this.writeMode);
  }

  /**
   * Sends one message: bytes or a string, as text or binary (Godot 4's `send`).
   * Payloads up to 16 KiB are copied at once; larger ones are written from the
   * caller's buffer without a copy, so do not change it until
   * `getCurrentOutboundBufferedAmount()` has gone back down.
   */
  send(data: Uint8Array | string, mode: WriteMode = WriteMode.BINARY): GodotError {
    const isText = mode === WriteMode.TEXT;
    if (!isText && mode !== WriteMode.BINARY) return this.failCall(GodotError.ERR_INVALID_PARAMETER, `Unknown write mode ${String(mode)}`);
    let bytes: Uint8Array;
    if (typeof data === 'string') {
      bytes = Buffer.from(data, 'utf8');
    } else if (data instanceof Uint8Array) {
      bytes = data;
      if (isText && !isValidUtf8(data)) {
        return this.failCall(GodotError.ERR_INVALID_PARAMETER, 'Text messages must be valid UTF-8; send the bytes in binary mode instead');
      }
    } else {
      return this.failCall(GodotError.ERR_INVALID_PARAMETER, 'send() takes a Uint8Array/Buffer or a string');
    }
    const binding = this.binding;
    const connection = binding === null ? null : binding.connection;
    if (connection === null || binding!.state !== ReadyState.OPEN || connection.closeSent) {
      return this.failCall(GodotError.FAILED, 'The connection is not open');
    }
    const outbound = binding!.outbound!;
    const { maxQueuedPackets, outboundBufferSize } = this.options;
    if (outbound.queuedMessages >= maxQueuedPackets) {
      return this.failCall(GodotError.ERR_OUT_OF_MEMORY, `Outbound queue full: ${outbound.queuedMessages} messages not yet sent (maxQueuedPackets)`);
    }
    if (outbound.bufferedAmount + bytes.length > outboundBufferSize) {
      return this.failCall(
        GodotError.ERR_OUT_OF_MEMORY,
        `Message of ${bytes.length} bytes does not fit: ${outbound.bufferedAmount} of ${outboundBufferSize} outbound bytes in use (outboundBufferSize)`,
      );
    }
    connection.sendMessage(bytes, isText);
    return GodotError.OK;
  }

  sendText(text: string): GodotError {
    return this.send(text, WriteMode.TEXT);
  }

  // ---- closing ----------------------------------------------------------

  /**
   * Starts the close handshake (code 1000 by default). A negative code drops
   * the connection at once without a close frame, as in Godot 4.
   */
  close(code = CloseCode.NORMAL as number, reason = ''): GodotError {
    const binding = this.binding;
    if (binding === null || binding.state === ReadyState.CLOSED) return GodotError.OK;
    if (code < 0 || binding.state === ReadyState.CONNECTING) {
      binding.abort();
      return GodotError.OK;
    }
    const connection = binding.connection!;
    if (connection.closeSent) return GodotError.OK;
    try {
      connection.close(code, reason);
    } catch (error) {
      return this.failCall(GodotError.ERR_INVALID_PARAMETER, (error as Error).message);
    }
    binding.closing();
    return GodotError.OK;
  }

  getCloseCode(): number {
    return this.binding?.closeCode ?? -1;
  }

  getCloseReason(): string {
    return this.binding?.closeReason ?? '';
  }

  getReadyState(): ReadyState {
    return this.binding?.state ?? ReadyState.CLOSED;
  }

  isConnectedToHost(): boolean {
    return this.binding?.state === ReadyState.OPEN;
  }

  // ---- connection facts -------------------------------------------------

  getConnectedHost(): string {
    return this.binding?.remoteHost ?? '';
  }

  getConnectedPort(): number {
    return this.binding?.remotePort ?? 0;
  }

  /** Payload bytes accepted by `send`/`putPacket` and not yet handed to the kernel. */
  getCurrentOutboundBufferedAmount(): number {
    return this.binding?.outbound?.bufferedAmount ?? 0;
  }

  /**
   * Resolves once everything accepted so far has been handed to the kernel
   * (`getCurrentOutboundBufferedAmount()` is 0), or the connection is gone.
   * For backpressure: stop sending while `send` returns ERR_OUT_OF_MEMORY,
   * and go on once this resolves.
   */
  flushed(): Promise<void> {
    const outbound = this.binding?.outbound;
    if (!outbound || this.binding!.state === ReadyState.CLOSED) return Promise.resolve();
    return new Promise((resolve) => outbound.whenBufferedAtMost(0, resolve));
  }

  setNoDelay(enabled: boolean): void {
    this.binding?.socket?.setNoDelay(enabled);
  }

  getRequestedUrl(): string {
    return this.binding?.requestedUrl ?? '';
  }

  /** The Sec-WebSocket-Extensions the connection runs with ('' for none), like a browser's `WebSocket.extensions`. */
  getExtensions(): string {
    return this.binding?.negotiatedExtensions ?? '';
  }

  getSelectedProtocol(): string {
    return this.binding?.selectedProtocol ?? '';
  }

  /** Server side: the request's headers (lower-case names). Client side: the response's. */
  getHandshakeHeaders(): ReadonlyMap<string, string> {
    return expandHeaders(this.binding?.requestHeaders ?? '');
  }

  /** Godot's per-frame poll. Node delivers I/O from its event loop, so there is nothing to pump. */
  poll(): void {}

  /** Messages as they arrive, for `for await (const { data, isText } of peer)`; ends when the connection closes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<{ data: Buffer; isText: boolean }> {
    while (true) {
      while (this.getAvailablePacketCount() > 0) {
        const data = this.getPacket();
        yield { data, isText: this.lastWasString };
      }
      if (this.getReadyState() === ReadyState.CLOSED) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.off('dataReceived', wake);
          this.off('connectionClosed', wake);
          this.off('connectionError', wake);
          resolve();
        };
        this.on('dataReceived', wake);
        this.on('connectionClosed', wake);
        this.on('connectionError', wake);
      });
    }
  }

  // ---- internals --------------------------------------------------------

  private failCall(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }

  /** A new connection attempt, or null while one is under way or open. */
  private begin(isServerSide: boolean, socket: Socket | null): SocketBinding | null {
    if (this.binding !== null && this.binding.state !== ReadyState.CLOSED) return null;
    this.lastError = null;
    return (this.binding = new SocketBinding(this, this.options, isServerSide, socket));
  }
}
