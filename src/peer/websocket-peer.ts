import type { Socket } from 'node:net';
import { CloseCode } from '../frame/index.js';
import { GodotError } from '../godot-error.js';
import type { ExtendedConnectRequest, UpgradeRequest } from '../handshake/index.js';
import type { ServerHttp2Stream } from 'node:http2';
import { runHttp2ServerHandshake } from './http2-server-handshake.js';
import { runHttp2ClientHandshake } from './http2-client-handshake.js';
import { expandHeaders } from './compact-headers.js';
import { runClientHandshake, runServerHandshake } from './handshake-runner.js';
import type { PeerError, PeerObserver } from './peer-events.js';
import type { Connection } from './connection.js';
import { outgoingBytes } from './outgoing-message.js';
import { completeHandshake } from './peer-handshake.js';
import { DEFAULT_PEER_OPTIONS, type PeerOptions } from './peer-options.js';
import { PeerSettings } from './peer-settings.js';
import type { PeerTopics } from './peer-topics.js';
import { PreparedDelivery, type PreparedMessages } from './prepared-messages.js';
import { ReadyState, WriteMode } from './ready-state.js';
import { receivedMessages } from './received-messages.js';
import { SocketBinding } from './socket-binding.js';
import { setNoDelayOn, type ByteStream } from './byte-stream.js';
import type { TLSOptions } from './tls-options.js';
import { getVariant, putVariant } from './packet-variant.js';
import type { EncodableVariant, Variant } from '../variant/index.js';

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
  /** @internal The topic registry this peer is subscribed through (its server's TopicHub); null before the first subscription. */
  topics: PeerTopics | null = null;

  constructor(options: Readonly<PeerOptions> = DEFAULT_PEER_OPTIONS) {
    super(options);
  }

  // ---- Godot 4 entry points ---------------------------------------------

  /**
   * Connects as a client. Resolves OK once open, or the error that stopped it
   * (ERR_INVALID_PARAMETER for a bad URL or header, nothing sent then).
   * The `connectionEstablished` / `connectionError` events fire as well. With
   * `peer.http2 = true` it opens the WebSocket as a stream of the pooled
   * HTTP/2 connection to the origin (RFC 8441) instead of an HTTP/1.1 upgrade.
   */
  connectToUrl(url: string, tlsOptions?: TLSOptions): Promise<GodotError> {
    const binding = this.begin(false, null);
    if (binding === null) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, IN_USE));
    const onSocket = (socket: ByteStream): void => {
      binding.handshakeSocket = socket;
    };
    const handshake =
      this.options.http2 === true
        ? runHttp2ClientHandshake(this.options, url, tlsOptions, binding.io.http2Sessions, onSocket)
        : runClientHandshake(this.options, url, tlsOptions, onSocket);
    return completeHandshake(binding, handshake);
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

  /**
   * Adopts an HTTP/2 stream whose extended CONNECT request (RFC 8441) is
   * checked (`validateExtendedConnect`) and runs the rest of the server
   * handshake on it: the WebSocket then runs on that stream.
   */
  acceptHttp2Stream(stream: ServerHttp2Stream, request: ExtendedConnectRequest): Promise<GodotError> {
    const binding = this.begin(true, stream);
    if (binding === null) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, IN_USE));
    return completeHandshake(binding, runHttp2ServerHandshake(this.options, stream, request));
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
    return binding.takePacket();
  }

  getPacketError(): GodotError {
    return this.packetError;
  }

  // ---- Godot values: PacketPeer put_var / get_var (src/peer/packet-variant.ts) ----

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
    if (mode !== WriteMode.TEXT && mode !== WriteMode.BINARY) throw new RangeError(`Unknown write mode ${String(mode)}`);
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
   * Sends one message (Godot 4's `send`); without a mode, a string as text and bytes as binary. Payloads
   * over 16 KiB are written from the caller's buffer: keep it unchanged until `flushed()` resolves.
   */
  send(data: Uint8Array | string, mode?: WriteMode): GodotError {
    // Without a mode a string goes out as text (as in every JavaScript WebSocket API), bytes as binary.
    const isText = mode === undefined ? typeof data === 'string' : mode === WriteMode.TEXT;
    const bytes = outgoingBytes(data, isText, mode);
    if (typeof bytes === 'string') return this.failCall(GodotError.ERR_INVALID_PARAMETER, bytes);
    const connection = this.openConnection();
    if (connection === null) return this.failCall(GodotError.FAILED, 'The connection is not open');
    const outbound = this.binding!.outbound!;
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

  /**
   * Queues messages already framed for many receivers (a broadcast): no copy
   * of the payload and no per-receiver framing. Nothing is queued unless all
   * of them fit the outbound limits (unless `withinLimits` is false, for
   * bounded control traffic such as a newcomer's roster); no `lastError` is
   * recorded, as the broadcaster decides what a refusal means.
   */
  sendPrepared(messages: PreparedMessages, withinLimits = true): PreparedDelivery {
    const connection = this.openConnection();
    if (connection === null) return PreparedDelivery.NOT_OPEN;
    const outbound = this.binding!.outbound!;
    const options = this.options;
    if (withinLimits && (outbound.queuedMessages + messages.messageCount > options.maxQueuedPackets || outbound.bufferedAmount + messages.payloadBytes > options.outboundBufferSize)) {
      return PreparedDelivery.OVER_LIMIT;
    }
    connection.sendPrepared(messages);
    return PreparedDelivery.SENT;
  }

  // ---- topics (a server's TopicHub) ----------------------------------------

  /** Subscribes this server-side peer to `topic` on its server's hub; false when already subscribed. */
  subscribe(topic: string): boolean {
    return this.topicRegistry().subscribe(this, topic);
  }

  /** Unsubscribes from `topic`; false when not subscribed. */
  unsubscribe(topic: string): boolean {
    return this.topics?.unsubscribe(this, topic) ?? false;
  }

  /** Publishes to `topic`'s subscribers except this peer (as uWebSockets' `ws.publish`); returns how many took it. */
  publish(topic: string, data: Uint8Array | string, isText = typeof data === 'string'): number {
    return this.topicRegistry().publish(topic, data, isText, this);
  }

  private topicRegistry(): PeerTopics {
    const topics = this.topics;
    if (topics === null) throw new Error('This peer has no topic hub: subscribe it through its server (server.topics.subscribe(peer, topic)) first');
    return topics;
  }

  sendText(text: string): GodotError {
    return this.send(text, WriteMode.TEXT);
  }

  /** Sends a ping (payload up to 125 bytes; a string as UTF-8); the answer arrives as a `pong` event. */
  ping(payload: Uint8Array | string = EMPTY): GodotError {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (!(bytes instanceof Uint8Array) || bytes.length > 125) return this.failCall(GodotError.ERR_INVALID_PARAMETER, 'A ping payload is a Uint8Array or string of at most 125 bytes');
    const connection = this.openConnection();
    if (connection === null) return this.failCall(GodotError.FAILED, 'The connection is not open');
    connection.sendPing(bytes);
    return GodotError.OK;
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
    const socket = this.binding?.socket;
    if (socket) setNoDelayOn(socket, enabled);
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

  /** Server side: what the admission check (`server.admit`) returned as `data` when it admitted this peer. */
  get admission(): unknown {
    return this.binding?.admission;
  }

  /** Server side: the request's headers (lower-case names). Client side: the response's. */
  getHandshakeHeaders(): ReadonlyMap<string, string> {
    return expandHeaders(this.binding?.requestHeaders ?? '');
  }

  /** Godot's per-frame poll. Node delivers I/O from its event loop, so there is nothing to pump. */
  poll(): void {}

  /** Messages as they arrive, for `for await (const { data, isText } of peer)`; ends when the connection closes. */
  [Symbol.asyncIterator](): AsyncGenerator<{ data: Buffer; isText: boolean }> {
    return receivedMessages(this);
  }


  // ---- internals --------------------------------------------------------

  /** The protocol core while the connection is open and no close frame has been sent; else null. */
  private openConnection(): Connection | null {
    const binding = this.binding;
    const connection = binding?.connection ?? null;
    return connection === null || binding!.state !== ReadyState.OPEN || connection.closeSent ? null : connection;
  }

  private failCall(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }

  /** A new connection attempt, or null while one is under way or open. */
  private begin(isServerSide: boolean, socket: ByteStream | null): SocketBinding | null {
    if (this.binding !== null && this.binding.state !== ReadyState.CLOSED) return null;
    this.lastError = null;
    return (this.binding = new SocketBinding(this, this.options, isServerSide, socket));
  }
}
