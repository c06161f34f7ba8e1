import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { CloseCode, isValidUtf8, ProtocolError } from '../frame/index.js';
import { GodotError } from '../godot-error.js';
import type { UpgradeRequest } from '../handshake/index.js';
import { compactHeaders, expandHeaders, flatCopy, type CompactHeaders } from './compact-headers.js';
import { CloseState, Connection, type ConnectionHandler } from './connection.js';
import { resolveDeflateOption, type DeflateOptions, type DeflateSettings } from './deflate-options.js';
import { defaultEventLoopIo, type EventLoopIo } from './event-loop-io.js';
import type { Flushable } from './flush-scheduler.js';
import type { EncodeSlab } from './frame-slab.js';
import { OutboundBuffer, type OutboundTransport } from './outbound-buffer.js';
import { PacketQueue } from './packet-queue.js';
import { positiveInteger } from './peer-config.js';
import { copyPeerOptions, DEFAULT_PEER_OPTIONS, type PeerOptions } from './peer-options.js';
import { ReadyState, WriteMode } from './ready-state.js';
import type { NegotiatedDeflate } from './deflate-session.js';
import { runClientHandshake, runServerHandshake, type HandshakeOutcome } from './handshake-runner.js';
import type { TLSOptions } from './tls-options.js';

export interface WebSocketPeerEvents {
  /** The opening handshake succeeded. */
  connectionEstablished: [protocol: string];
  /** The connection could not be opened (TCP, TLS or handshake failure); `reason` says why. */
  connectionError: [reason: string];
  /** A message was queued; read it with `getPacket`. */
  dataReceived: [];
  /** The other side started the close handshake (its close frame was not a reply to ours). */
  closeRequest: [code: number, reason: string];
  /** The connection is gone; `wasClean` when both close frames were exchanged. */
  connectionClosed: [wasClean: boolean];
}

/** Detail of the last failed call, for a person to act on. */
export interface PeerError {
  code: GodotError;
  message: string;
}

/**
 * Owners (servers, clients, multiplayer peers) hear about a peer through one
 * object instead of a closure per event per peer: cheaper for many idle peers.
 */
export interface PeerObserver {
  peerEstablished(peer: WebSocketPeer, protocol: string): void;
  peerFailed(peer: WebSocketPeer, reason: string): void;
  peerData(peer: WebSocketPeer): void;
  peerCloseRequest(peer: WebSocketPeer, code: number, reason: string): void;
  peerClosed(peer: WebSocketPeer, wasClean: boolean): void;
}

/**
 * Frames decoded for one socket per turn of the event loop; the rest waits
 * for the next turn, so a peer flooding tiny frames cannot hold the loop
 * while others wait. Far above what one socket read of real traffic holds.
 */
export const FRAMES_PER_TURN = 1024;

/** Why reading from the socket is paused; it resumes when no reason is left. */
const PAUSED_QUEUE_FULL = 1;
const PAUSED_INFLATE_BACKLOG = 2;
const PAUSED_INPUT_HELD = 4;

const PEER = Symbol('gdws.peer');
type OwnedSocket = Socket & { [PEER]?: WebSocketPeer };
const EMPTY = Buffer.alloc(0);

/**
 * One WebSocket connection, client or server side: Godot's WebSocketPeer
 * (3.x packet API and 4.x `send`/`connectToUrl`/`acceptStream`) bound to one
 * node:net or node:tls socket. Events fire from Node's event loop; `poll()`
 * is kept for code ported from Godot and costs nothing.
 */
export class WebSocketPeer extends EventEmitter<WebSocketPeerEvents> {
  private options: PeerOptions;
  private ownsOptions = false;
  private socket: OwnedSocket | null = null;
  private connection: Connection | null = null;
  private outbound: OutboundBuffer | null = null;
  private readonly inbound = new PacketQueue();
  private state: ReadyState = ReadyState.CLOSED;
  private isServerSide = false;
  private writeMode: WriteMode = WriteMode.BINARY;
  private lastWasString = false;
  private packetError: GodotError = GodotError.OK;
  private closeCode = -1;
  private closeReason = '';
  private selectedProtocol = '';
  private negotiatedExtensions = '';
  private requestedUrl = '';
  private requestHeaders: CompactHeaders = '';
  private remoteHost = '';
  private remotePort = 0;
  /** PAUSED_* bits. */
  private pauseReasons = 0;
  /** The turn whose frame budget the decoder is spending. */
  private budgetTurn = -1;
  /** The accepted socket while a server-side handshake runs on it. */
  private handshakeSocket: Socket | null = null;
  /** Tells a stale handshake (given up by close(), then connected again) from the current one. */
  private connectAttempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  /** Detail of the last call that returned an error. */
  lastError: PeerError | null = null;
  /** @internal The server, client or multiplayer peer that owns this peer. */
  observer: PeerObserver | null = null;
  /** @internal The owner's id for this peer. */
  tag = 0;

  constructor(options: Readonly<PeerOptions> = DEFAULT_PEER_OPTIONS) {
    super();
    // Most peers (those a server owns) never get a listener: let EventEmitter
    // create its listener table on the first on(), as it does for an unset
    // one, instead of ~180 bytes per idle connection now.
    (this as unknown as { _events: undefined })._events = undefined;
    this.options = options as PeerOptions;
  }

  // ---- Godot properties -------------------------------------------------

  get inboundBufferSize(): number {
    return this.options.inboundBufferSize;
  }
  set inboundBufferSize(value: number) {
    this.ownOptions().inboundBufferSize = positiveInteger(value, 'inboundBufferSize');
    if (this.connection !== null) this.connection.assembler.maxMessageSize = value;
  }
  get outboundBufferSize(): number {
    return this.options.outboundBufferSize;
  }
  set outboundBufferSize(value: number) {
    this.ownOptions().outboundBufferSize = positiveInteger(value, 'outboundBufferSize');
    if (this.connection !== null) this.connection.outboundLimit = value;
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
    if (this.state === ReadyState.OPEN) this.startHeartbeat();
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
  set handshakeTimeoutMs(value: number) {
    this.ownOptions().handshakeTimeoutMs = positiveInteger(value, 'handshakeTimeoutMs');
  }

  // ---- Godot 4 entry points ---------------------------------------------

  /**
   * Connects as a client. Resolves OK once open, or the error that stopped it
   * (ERR_INVALID_PARAMETER for a bad URL or header, nothing sent then).
   * The `connectionEstablished` / `connectionError` events fire as well.
   */
  connectToUrl(url: string, tlsOptions?: TLSOptions): Promise<GodotError> {
    if (this.state !== ReadyState.CLOSED) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, 'This peer is already connected or connecting'));
    this.resetForConnection(false);
    return this.runHandshake(runClientHandshake(this.options, url, tlsOptions, (socket) => (this.handshakeSocket = socket)));
  }

  /** Adopts an accepted TCP/TLS socket and runs the server handshake on it. */
  acceptStream(socket: Socket): Promise<GodotError> {
    if (this.state !== ReadyState.CLOSED) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, 'This peer is already connected or connecting'));
    this.resetForConnection(true, socket);
    return this.runHandshake(runServerHandshake(this.options, socket, null, EMPTY));
  }

  /** Adopts an upgrade request that node:http has already parsed (`server.on('upgrade')`). */
  acceptUpgrade(socket: Socket, request: Omit<UpgradeRequest, 'rest'>, head: Buffer): Promise<GodotError> {
    if (this.state !== ReadyState.CLOSED) return Promise.resolve(this.failCall(GodotError.ERR_ALREADY_IN_USE, 'This peer is already connected or connecting'));
    this.resetForConnection(true, socket);
    return this.runHandshake(runServerHandshake(this.options, socket, request, head));
  }

  // ---- packets ----------------------------------------------------------

  getAvailablePacketCount(): number {
    return this.inbound.count;
  }

  /** The next received message (UTF-8 bytes for text); empty with `getPacketError()` ERR_UNAVAILABLE when none. */
  getPacket(): Buffer {
    if (this.inbound.count === 0) {
      this.packetError = GodotError.ERR_UNAVAILABLE;
      return EMPTY;
    }
    this.lastWasString = this.inbound.peekIsText();
    const data = this.inbound.shift();
    this.packetError = GodotError.OK;
    if ((this.pauseReasons & PAUSED_QUEUE_FULL) !== 0 && !this.inboundFull()) this.resumeReading(PAUSED_QUEUE_FULL);
    return data;
  }

  getPacketError(): GodotError {
    return this.packetError;
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
    const connection = this.connection;
    if (this.state !== ReadyState.OPEN || connection === null || connection.closeSent) {
      return this.failCall(GodotError.FAILED, 'The connection is not open');
    }
    const outbound = this.outbound!;
    if (outbound.queuedMessages >= this.options.maxQueuedPackets) {
      return this.failCall(GodotError.ERR_OUT_OF_MEMORY, `Outbound queue full: ${outbound.queuedMessages} messages not yet sent (maxQueuedPackets)`);
    }
    if (outbound.bufferedAmount + bytes.length > this.options.outboundBufferSize) {
      return this.failCall(
        GodotError.ERR_OUT_OF_MEMORY,
        `Message of ${bytes.length} bytes does not fit: ${outbound.bufferedAmount} of ${this.options.outboundBufferSize} outbound bytes in use (outboundBufferSize)`,
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
    if (this.state === ReadyState.CLOSED) return GodotError.OK;
    if (code < 0 || this.state === ReadyState.CONNECTING) {
      this.abort();
      return GodotError.OK;
    }
    const connection = this.connection!;
    if (connection.closeSent) return GodotError.OK;
    try {
      connection.close(code, reason);
    } catch (error) {
      return this.failCall(GodotError.ERR_INVALID_PARAMETER, (error as Error).message);
    }
    this.state = ReadyState.CLOSING;
    this.armTimer(this.options.closeTimeoutMs);
    // No pings go out after the close frame, so no pongs come back: the close timeout governs from here.
    this.stopHeartbeat();
    // A full inbound queue paused reading; the reply to our close frame must still be read.
    this.resumeReading(PAUSED_QUEUE_FULL);
    return GodotError.OK;
  }

  getCloseCode(): number {
    return this.closeCode;
  }

  getCloseReason(): string {
    return this.closeReason;
  }

  getReadyState(): ReadyState {
    return this.state;
  }

  isConnectedToHost(): boolean {
    return this.state === ReadyState.OPEN;
  }

  // ---- connection facts -------------------------------------------------

  getConnectedHost(): string {
    return this.remoteHost;
  }

  getConnectedPort(): number {
    return this.remotePort;
  }

  /** Payload bytes accepted by `send`/`putPacket` and not yet handed to the kernel. */
  getCurrentOutboundBufferedAmount(): number {
    return this.outbound === null ? 0 : this.outbound.bufferedAmount;
  }

  /**
   * Resolves once everything accepted so far has been handed to the kernel
   * (`getCurrentOutboundBufferedAmount()` is 0), or the connection is gone.
   * For backpressure: stop sending while `send` returns ERR_OUT_OF_MEMORY,
   * and go on once this resolves.
   */
  flushed(): Promise<void> {
    const outbound = this.outbound;
    if (outbound === null || this.state === ReadyState.CLOSED) return Promise.resolve();
    return new Promise((resolve) => outbound.whenBufferedAtMost(0, resolve));
  }

  setNoDelay(enabled: boolean): void {
    this.socket?.setNoDelay(enabled);
  }

  getRequestedUrl(): string {
    return this.requestedUrl;
  }

  /** The Sec-WebSocket-Extensions the connection runs with ('' for none), like a browser's `WebSocket.extensions`. */
  getExtensions(): string {
    return this.negotiatedExtensions;
  }

  getSelectedProtocol(): string {
    return this.selectedProtocol;
  }

  /** Server side: the request's headers (lower-case names). Client side: the response's. */
  getHandshakeHeaders(): ReadonlyMap<string, string> {
    return expandHeaders(this.requestHeaders);
  }

  /** Godot's per-frame poll. Node delivers I/O from its event loop, so there is nothing to pump. */
  poll(): void {}

  /** Messages as they arrive, for `for await (const { data, isText } of peer)`; ends when the connection closes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<{ data: Buffer; isText: boolean }> {
    while (true) {
      while (this.inbound.count > 0) {
        const data = this.getPacket();
        yield { data, isText: this.lastWasString };
      }
      if (this.state === ReadyState.CLOSED) return;
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

  // ---- ConnectionHandler (events from the protocol core) ----------------

  /** @internal */
  onMessage(data: Buffer, isText: boolean): void {
    this.inbound.push(data, isText);
    if ((this.pauseReasons & PAUSED_QUEUE_FULL) === 0 && this.inboundFull()) this.pauseReading(PAUSED_QUEUE_FULL);
    this.observer?.peerData(this);
    this.emit('dataReceived');
  }

  /** @internal */
  onInboundBacklog(full: boolean): void {
    if (full) this.pauseReading(PAUSED_INFLATE_BACKLOG);
    else this.resumeReading(PAUSED_INFLATE_BACKLOG);
  }

  /** @internal */
  onPong(): void {
    this.awaitingPong = false;
  }

  /** @internal */
  onCloseFrame(code: number, reason: string): void {
    // Godot 3 appends a NUL to every non-empty reason; people never mean it.
    this.closeCode = code;
    this.closeReason = reason.endsWith('\0') ? reason.slice(0, -1) : reason;
    // The reply to our own close() confirms it; only a close the other side started is a request (as in Godot).
    const isRequest = this.state === ReadyState.OPEN;
    if (isRequest) {
      this.state = ReadyState.CLOSING;
      this.observer?.peerCloseRequest(this, this.closeCode, this.closeReason);
      this.emit('closeRequest', this.closeCode, this.closeReason);
    }
    this.endTransport();
  }

  /** @internal */
  onProtocolError(error: ProtocolError): void {
    this.closeCode = error.closeCode;
    this.closeReason = error.message;
    this.state = ReadyState.CLOSING;
    this.endTransport();
  }

  // ---- OutboundTransport / Flushable -----------------------------------

  /** @internal */
  scheduleFlush(): void {
    this.io.flushes.schedule(this);
  }

  /** @internal */
  get slab(): EncodeSlab {
    return this.io.slab;
  }

  private get io(): EventLoopIo {
    return this.options.io ?? defaultEventLoopIo;
  }

  /** @internal */
  flushNow(): void {
    this.outbound?.flush();
  }

  /** @internal */
  flushEarly(): boolean {
    return this.io.flushes.servingOneConnection();
  }

  /** @internal */
  writeBatch(chunks: Buffer[], written: () => void): void {
    const socket = this.socket;
    if (socket === null || socket.destroyed) {
      written();
      return;
    }
    if (chunks.length === 1) {
      socket.write(chunks[0]!, written);
      return;
    }
    socket.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) socket.write(chunks[i]!);
    socket.write(chunks[last]!, written);
    socket.uncork();
  }

  // ---- internals --------------------------------------------------------

  private ownOptions(): PeerOptions {
    if (!this.ownsOptions) {
      this.options = copyPeerOptions(this.options);
      this.ownsOptions = true;
    }
    return this.options;
  }

  private failCall(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }

  /** `socket` is the accepted socket on the server side; a client learns its socket in `open`. */
  private resetForConnection(isServerSide: boolean, socket: Socket | null = null): void {
    this.isServerSide = isServerSide;
    this.state = ReadyState.CONNECTING;
    this.pauseReasons = 0;
    this.handshakeSocket = socket;
    // Known before the handshake, so a failed handshake can still say who it was with.
    this.remoteHost = socket?.remoteAddress ?? '';
    this.remotePort = socket?.remotePort ?? 0;
    this.closeCode = -1;
    this.closeReason = '';
    this.selectedProtocol = '';
    this.negotiatedExtensions = '';
    this.inbound.clear();
    this.lastError = null;
  }

  private async runHandshake(handshake: Promise<HandshakeOutcome>): Promise<GodotError> {
    const attempt = ++this.connectAttempt;
    const outcome = await handshake;
    if (this.state !== ReadyState.CONNECTING || attempt !== this.connectAttempt) {
      // close() was called meanwhile.
      outcome.socket?.destroy();
      return this.failCall(GodotError.ERR_CONNECTION_ERROR, 'The connection was closed during the handshake');
    }
    if (!outcome.ok) {
      this.state = ReadyState.CLOSED;
      this.lastError = { code: outcome.error, message: outcome.reason };
      this.observer?.peerFailed(this, outcome.reason);
      this.emit('connectionError', outcome.reason);
      return outcome.error;
    }
    this.open(outcome.socket, outcome.protocol, outcome.requestedUrl, outcome.headers, outcome.rest, outcome.deflate);
    return GodotError.OK;
  }

  private open(socket: Socket, protocol: string, requestedUrl: string, headers: Map<string, string>, rest: Buffer, deflate: NegotiatedDeflate | null): void {
    const owned = socket as OwnedSocket;
    owned[PEER] = this;
    this.socket = owned;
    this.selectedProtocol = protocol;
    this.requestedUrl = flatCopy(requestedUrl);
    this.requestHeaders = compactHeaders(headers);
    this.remoteHost = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.outbound = new OutboundBuffer(this, !this.isServerSide);
    this.connection = new Connection(this.isServerSide, this.outbound, this, this.options.inboundBufferSize, deflate);
    this.connection.outboundLimit = this.options.outboundBufferSize;
    this.negotiatedExtensions = deflate?.header ?? '';
    this.state = ReadyState.OPEN;
    socket.setNoDelay(true);
    socket.on('data', onSocketData);
    socket.on('close', onSocketClose);
    socket.on('end', onSocketEnd);
    socket.on('error', ignoreSocketError);
    if (this.options.heartbeatInterval > 0) this.startHeartbeat();
    this.observer?.peerEstablished(this, protocol);
    this.emit('connectionEstablished', protocol);
    if (rest.length > 0) this.receive(rest);
    if (socket.isPaused() && this.pauseReasons === 0) socket.resume();
  }

  /** @internal Socket bytes, from the shared socket listener. */
  receive(chunk: Buffer): void {
    const connection = this.connection;
    if (connection === null) return;
    const turn = this.io.clock.now();
    if (turn !== this.budgetTurn) {
      this.budgetTurn = turn;
      connection.decoder.frameAllowance = FRAMES_PER_TURN;
    }
    if (!connection.receive(chunk) && (this.pauseReasons & PAUSED_INPUT_HELD) === 0) this.holdInput();
  }

  /**
   * The connection holds bytes back: its frame budget for this turn is spent
   * (go on next turn), or its replies wait for a peer that does not read them
   * (go on once they have left). Reading stays paused until then.
   */
  private holdInput(): void {
    this.pauseReading(PAUSED_INPUT_HELD);
    const connection = this.connection!;
    if (connection.outboundBacklogged) this.outbound!.whenBufferedAtMost(connection.outboundLimit, () => this.continueInput());
    else setImmediate(continueInputOf, this);
  }

  /** @internal Decodes held input with a new turn's budget. */
  continueInput(): void {
    const connection = this.connection;
    if (connection === null || this.state === ReadyState.CLOSED) return;
    this.budgetTurn = this.io.clock.now();
    connection.decoder.frameAllowance = FRAMES_PER_TURN;
    if (connection.receiveHeld()) this.resumeReading(PAUSED_INPUT_HELD);
    else this.holdInput();
  }

  private inboundFull(): boolean {
    return this.inbound.count >= this.options.maxQueuedPackets || this.inbound.byteLength >= this.options.inboundBufferSize;
  }

  private pauseReading(reason: number): void {
    if (this.pauseReasons === 0) this.socket?.pause();
    this.pauseReasons |= reason;
  }

  private resumeReading(reason: number): void {
    if (this.pauseReasons === 0) return;
    this.pauseReasons &= ~reason;
    if (this.pauseReasons === 0) this.socket?.resume();
  }

  /** After the close handshake or a protocol failure: send what is queued, then end TCP. */
  private endTransport(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.outbound?.flush();
    if (this.isServerSide || this.connection?.closeReceived !== true) {
      socket.end();
    }
    // A client waits for the server to close TCP first (RFC 6455 section 7.1.1), within the timeout.
    this.armTimer(this.options.closeTimeoutMs);
    // Data still queued is read by nobody once closing: keep reading so the close is seen.
    this.resumeReading(PAUSED_QUEUE_FULL | PAUSED_INFLATE_BACKLOG);
  }

  private abort(): void {
    // A server-side handshake still under way owns its socket: drop it too, or it lingers until the handshake timeout.
    if (this.state === ReadyState.CONNECTING) {
      // The caller gave up on a connection that never opened: it was never "closed", so no event.
      this.state = ReadyState.CLOSED;
      this.handshakeSocket?.destroy();
      this.handshakeSocket = null;
      return;
    }
    const socket = this.socket;
    if (socket !== null && !socket.destroyed) {
      socket.destroy();
      return; // onSocketClose finishes
    }
    this.finish();
  }

  /** @internal The socket closed. */
  finish(): void {
    if (this.state === ReadyState.CLOSED) return;
    const connection = this.connection;
    // closeCode stays -1 unless a close frame arrived or we failed the connection ourselves.
    const wasClean = connection !== null && connection.closeState === CloseState.CLOSE_RECEIVED;
    this.state = ReadyState.CLOSED;
    this.clearTimer();
    this.stopHeartbeat();
    this.connection?.dispose();
    this.outbound?.discard();
    const socket = this.socket;
    if (socket !== null) {
      socket.off('data', onSocketData);
      socket.off('end', onSocketEnd);
      socket.off('close', onSocketClose);
      delete socket[PEER];
    }
    this.observer?.peerClosed(this, wasClean);
    this.emit('connectionClosed', wasClean);
  }

  private armTimer(ms: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.socket?.destroy();
    }, ms);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const seconds = this.options.heartbeatInterval;
    if (!(seconds > 0)) return;
    this.awaitingPong = false;
    this.heartbeat = setInterval(() => {
      if (!this.awaitingPong) {
        this.awaitingPong = true;
        this.connection?.sendPing(EMPTY);
      } else if (this.pauseReasons === 0) {
        // Timers run before socket reads: let a pong already in the kernel be read before judging.
        setImmediate(() => {
          if (this.awaitingPong && this.pauseReasons === 0 && this.state === ReadyState.OPEN) this.abort();
        });
      }
      // While reading is paused (the application is not reading), a pong cannot be seen: no verdict.
    }, seconds * 1000);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  /** @internal The other side closed its half of TCP. */
  remoteEnded(): void {
    const socket = this.socket;
    if (socket !== null && !socket.writableEnded) {
      this.outbound?.flush();
      socket.end();
    }
  }
}

function continueInputOf(peer: WebSocketPeer): void {
  peer.continueInput();
}

function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[PEER]?.receive(chunk);
}

function onSocketEnd(this: OwnedSocket): void {
  this[PEER]?.remoteEnded();
}

function onSocketClose(this: OwnedSocket): void {
  this[PEER]?.finish();
}

/** Socket errors (ECONNRESET, EPIPE) are followed by 'close', which reports the unclean end. */
function ignoreSocketError(): void {}

// WebSocketPeer serves the protocol core and the flush scheduler through these interfaces. It does not
// name them in an `implements` clause: their members are @internal, and the package typings (stripInternal)
// would then fail to match them. This alias checks the same thing without showing in the typings.
type ServesInternally<T extends ConnectionHandler & OutboundTransport & Flushable> = T;
type _WebSocketPeerServes = ServesInternally<WebSocketPeer>;
