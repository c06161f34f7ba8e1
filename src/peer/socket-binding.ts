import { dropStream, remoteAddressOf, remotePortOf, setNoDelayOn, type ByteStream } from './byte-stream.js';
import type { ProtocolError } from '../frame/index.js';
import { BindingTimers } from './binding-timers.js';
import type { CompactHeaders } from './compact-headers.js';
import { CloseState, type Connection, type ConnectionHandler } from './connection.js';
import { defaultEventLoopIo, type EventLoopIo } from './event-loop-io.js';
import type { Flushable } from './flush-scheduler.js';
import type { EncodeSlab } from './encode-slab.js';
import type { FrameBufferPool } from './frame-buffer-pool.js';
import type { OutboundBuffer, OutboundTransport } from './outbound-buffer.js';
import { PacketQueue } from './packet-queue.js';
import type { PeerOptions } from './peer-options.js';
import { ReadyState } from './ready-state.js';
import { moveToReusedReads } from './reused-reads.js';
import { listen, onReusedRead, unlisten, writeChunks, type SocketListener } from './socket-io.js';
import type { WebSocketPeer } from './websocket-peer.js';

/**
 * Frames decoded for one socket per turn of the event loop; the rest waits
 * for the next turn, so a peer flooding tiny frames cannot hold the loop
 * while others wait. Far above what one socket read of real traffic holds.
 */
export const FRAMES_PER_TURN = 1024;

/** How often a connection tries to move its reads while bytes are being written (see moveReadsNow). */
const READ_MOVE_ATTEMPTS = 8;
/** From this many bytes a read counts as busy (see nextReadBuffer). */
const BUSY_READ_BYTES = 4 * 1024;
/** The most memory a read of small messages gets for itself (what Node's own reads take). */
const MAX_OWN_READ_BYTES = 64 * 1024;

/** Why reading from the socket is paused; it resumes when no reason is left. */
export const PAUSED_QUEUE_FULL = 1;
const PAUSED_INFLATE_BACKLOG = 2;
const PAUSED_INPUT_HELD = 4;

/**
 * One connection attempt of a WebSocketPeer, from the handshake to the
 * socket's close: binds the sans-I/O Connection to a node:net / node:tls
 * socket. It owns the socket listeners, writes, pausing reads (with
 * reasons), the per-turn frame budget and held input, the close sequence,
 * the timers, and the connection's facts that the peer's Godot API reports.
 */
export class SocketBinding implements ConnectionHandler, OutboundTransport, Flushable, SocketListener {
  readonly peer: WebSocketPeer;
  /** The peer's options (replaced when the peer copies them to change one). */
  options: Readonly<PeerOptions>;
  readonly isServerSide: boolean;
  state: ReadyState = ReadyState.CONNECTING;
  socket: ByteStream | null = null;
  connection: Connection | null = null;
  outbound: OutboundBuffer | null = null;
  /** Received messages waiting for getPacket; created with the first one. */
  inbound: PacketQueue | null = null;
  /** The accepted socket while a server-side handshake runs on it. */
  handshakeSocket: ByteStream | null;
  // The facts of the connection that the peer reports.
  closeCode = -1;
  closeReason = '';
  selectedProtocol = '';
  negotiatedExtensions = '';
  /** What the server's admission check attached to this connection. */
  admission: unknown = undefined;
  requestedUrl = '';
  requestHeaders: CompactHeaders = '';
  remoteHost: string;
  remotePort: number;
  /** PAUSED_* bits. */
  pauseReasons = 0;
  /** The turn whose frame budget the decoder is spending. */
  private budgetTurn = -1;
  /** Attempts left at moving reads to the reused buffer (0: moved, not allowed, or given up). */
  private readMovesLeft: number;
  /** An attempt is scheduled, or no attempt is left. */
  private readMoveBlocked = false;
  /** Bytes the last socket read brought (sizes the next read's own memory). */
  private lastReadBytes = 0;
  /** Close timeout and heartbeat: created when first armed. */
  private timers: BindingTimers | null = null;

  /** `socket` is the accepted socket on the server side; a client learns its socket when it opens. */
  constructor(peer: WebSocketPeer, options: Readonly<PeerOptions>, isServerSide: boolean, socket: ByteStream | null) {
    this.peer = peer;
    this.options = options;
    this.isServerSide = isServerSide;
    this.readMovesLeft = options.reusedReads !== false ? READ_MOVE_ATTEMPTS : 0;
    this.handshakeSocket = socket;
    // Known before the handshake, so a failed handshake can still say who it was with.
    this.remoteHost = socket === null ? '' : remoteAddressOf(socket);
    this.remotePort = socket === null ? 0 : remotePortOf(socket);
  }

  get io(): EventLoopIo {
    return this.options.io ?? defaultEventLoopIo;
  }

  /** The handshake succeeded: the socket is this connection's from now on. */
  attach(socket: ByteStream, connection: Connection, outbound: OutboundBuffer): void {
    // The handshake's socket may be another object (moved to reused reads): it must not be kept alive.
    this.handshakeSocket = null;
    this.socket = socket;
    this.connection = connection;
    this.outbound = outbound;
    this.remoteHost = remoteAddressOf(socket);
    this.remotePort = remotePortOf(socket);
    this.state = ReadyState.OPEN;
    setNoDelayOn(socket, true);
    listen(socket, this);
    if (this.options.heartbeatInterval > 0) this.startHeartbeat();
  }

  /** Reading was paused for the handshake: go on unless a reason to pause came up meanwhile. */
  startReading(): void {
    if (this.socket?.isPaused() === true && this.pauseReasons === 0) this.socket.resume();
  }

  /** The next received message; only when `inbound.count > 0`. */
  takePacket(): Buffer {
    const data = this.inbound!.shift();
    if ((this.pauseReasons & PAUSED_QUEUE_FULL) !== 0 && !this.inboundFull()) this.resumeReading(PAUSED_QUEUE_FULL);
    return data;
  }

  private inboundFull(): boolean {
    const inbound = this.inbound;
    return inbound !== null && (inbound.count >= this.options.maxQueuedPackets || inbound.byteLength >= this.options.inboundBufferSize);
  }

  onMessage(data: Buffer, isText: boolean): void {
    (this.inbound ??= new PacketQueue()).push(data, isText);
    if ((this.pauseReasons & PAUSED_QUEUE_FULL) === 0 && this.inboundFull()) this.pauseReading(PAUSED_QUEUE_FULL);
    const peer = this.peer;
    peer.observer?.peerData(peer);
    peer.emit('dataReceived');
  }

  onInboundBacklog(full: boolean): void {
    if (full) this.pauseReading(PAUSED_INFLATE_BACKLOG);
    else this.resumeReading(PAUSED_INFLATE_BACKLOG);
  }

  onPong(payload: Buffer): void {
    if (this.timers !== null) this.timers.awaitingPong = false;
    if (this.peer.listenerCount('pong') > 0) this.peer.emit('pong', Buffer.from(payload));
  }

  onPing(payload: Buffer): void {
    if (this.peer.listenerCount('ping') > 0) this.peer.emit('ping', Buffer.from(payload));
  }

  onCloseFrame(code: number, reason: string): void {
    // Godot 3 appends a NUL to every non-empty reason; people never mean it.
    this.closeCode = code;
    this.closeReason = reason.endsWith('\0') ? reason.slice(0, -1) : reason;
    // The reply to our own close() confirms it; only a close the other side started is a request (as in Godot).
    if (this.state === ReadyState.OPEN) {
      this.state = ReadyState.CLOSING;
      const peer = this.peer;
      peer.observer?.peerCloseRequest(peer, this.closeCode, this.closeReason);
      peer.emit('closeRequest', this.closeCode, this.closeReason);
    }
    this.endTransport();
  }

  onProtocolError(error: ProtocolError): void {
    this.closeCode = error.closeCode;
    this.closeReason = error.message;
    this.state = ReadyState.CLOSING;
    this.endTransport();
  }

  get slab(): EncodeSlab {
    return this.io.slab;
  }

  get frameBuffers(): FrameBufferPool {
    return this.io.frameBuffers;
  }

  scheduleFlush(): void {
    this.io.flushes.schedule(this);
  }

  /** Takes the protocol core's output and writes it (from the flush scheduler, or when the core says it is due). */
  flushNow(): void {
    const batch = this.outbound?.takeBatch();
    if (batch) writeChunks(this.socket, batch.chunks, batch.written);
  }

  outputDue(): void {
    this.flushNow();
  }

  flushEarly(): boolean {
    return this.io.flushes.servingOneConnection();
  }

  /**
   * Where the socket's next read goes (sockets moved by moveToReusedReads).
   * Memory of the read's own, which small messages are delivered as views of
   * with no copy, only while reads bring many small messages at once: the
   * socket holds that memory until its next read, which an idle connection
   * must not. Otherwise the event loop's reused buffer: large messages are
   * copied once into their own buffers anyway, and a few small ones cost
   * little to copy.
   */
  nextReadBuffer(): Buffer {
    const lastRead = this.lastReadBytes;
    if (lastRead < BUSY_READ_BYTES || this.connection?.prefersReusedInput !== false) return this.io.readBuffer;
    return Buffer.allocUnsafeSlow(Math.min(MAX_OWN_READ_BYTES, 2 * lastRead));
  }

  /**
   * Moves reading to the event loop's reused buffer (moveToReusedReads),
   * once large messages arrive: a large message spans reads and is copied
   * into its own buffer either way (a server unmasks in that same pass), so
   * Node's Buffer per read is pure cost, and the garbage collector's: a
   * client echoing 64 KiB on 100 connections did 1.2-1.3x the messages
   * with its reads moved. Only then: a second socket object per connection
   * would cost every handshake and every idle connection. A client alone on
   * its event loop stays on Node's reads: with one connection the round trip
   * sets the pace, and there moved reads did 0.6x the messages (64 KiB).
   */
  moveReadsNow(): void {
    const socket = this.socket;
    const connection = this.connection;
    if (socket === null || connection === null || this.state !== ReadyState.OPEN) return;
    unlisten(socket);
    const moved = moveToReusedReads(socket, () => this.nextReadBuffer(), onReusedRead);
    if (moved === null) {
      listen(socket, this);
      // Bytes were being written or waited to be read: try again with a later large message, a few times.
      if (--this.readMovesLeft > 0) this.readMoveBlocked = false;
      return;
    }
    this.readMovesLeft = 0;
    this.socket = moved;
    connection.reusedInput = this.io.readBuffer.buffer;
    listen(moved, this);
    if (this.pauseReasons === 0) moved.resume();
  }

  /** Socket bytes, from the shared socket listener. */
  receive(chunk: Buffer): void {
    const connection = this.connection!;
    this.lastReadBytes = chunk.length;
    if (this.readMovesLeft > 0 && connection.reusedInput === null) this.considerMovingReads(connection);
    const turn = this.io.clock.now();
    if (turn !== this.budgetTurn) {
      this.budgetTurn = turn;
      connection.decoder.frameAllowance = FRAMES_PER_TURN;
    }
    if (!connection.receive(chunk) && (this.pauseReasons & PAUSED_INPUT_HELD) === 0) this.holdInput();
    // Serving one connection, the replies to a read leave with it rather than a hop later (the scheduled flush then finds nothing).
    if (this.io.flushes.servingOneConnection() && this.outbound !== null && !this.outbound.isEmpty) this.flushNow();
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

  private considerMovingReads(connection: Connection): void {
    if (this.readMoveBlocked || !connection.prefersReusedInput) return;
    // A client alone on its event loop keeps Node's reads (see moveReadsNow); it may move later, once the loop serves several connections.
    if (!this.isServerSide && this.io.flushes.servingOneConnection()) return;
    this.readMoveBlocked = true;
    // Not from inside Node's read callback of the socket being replaced.
    setImmediate(moveReadsOf, this);
  }

  /** Decodes held input with a new turn's budget. */
  continueInput(): void {
    const connection = this.connection;
    if (connection === null || this.state === ReadyState.CLOSED) return;
    this.budgetTurn = this.io.clock.now();
    connection.decoder.frameAllowance = FRAMES_PER_TURN;
    if (connection.receiveHeld()) this.resumeReading(PAUSED_INPUT_HELD);
    else this.holdInput();
  }

  private pauseReading(reason: number): void {
    if (this.pauseReasons === 0) this.socket?.pause();
    this.pauseReasons |= reason;
  }

  resumeReading(reason: number): void {
    if (this.pauseReasons === 0) return;
    this.pauseReasons &= ~reason;
    if (this.pauseReasons === 0) this.socket?.resume();
  }

  /** Our close frame is queued (peer.close): wait for the reply within the close timeout. */
  closing(): void {
    this.state = ReadyState.CLOSING;
    this.armCloseTimer();
    // No pings go out after the close frame, so no pongs come back: the close timeout governs from here.
    this.timers?.stopHeartbeat();
    // A full inbound queue paused reading; the reply to our close frame must still be read.
    this.resumeReading(PAUSED_QUEUE_FULL);
  }

  /** After the close handshake or a protocol failure: send what is queued, then end TCP. */
  private endTransport(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.flushNow();
    if (this.isServerSide || this.connection?.closeReceived !== true) socket.end();
    // A client waits for the server to close TCP first (RFC 6455 section 7.1.1), within the timeout.
    this.armCloseTimer();
    // Data still queued is read by nobody once closing: keep reading so the close is seen.
    this.resumeReading(PAUSED_QUEUE_FULL | PAUSED_INFLATE_BACKLOG);
  }

  abort(): void {
    // A server-side handshake still under way owns its socket: drop it too, or it lingers until the handshake timeout.
    if (this.state === ReadyState.CONNECTING) {
      // The caller gave up on a connection that never opened: it was never "closed", so no event.
      this.state = ReadyState.CLOSED;
      if (this.handshakeSocket !== null) dropStream(this.handshakeSocket);
      this.handshakeSocket = null;
      return;
    }
    const socket = this.socket;
    if (socket !== null && !socket.destroyed) {
      dropStream(socket);
      return; // onSocketClose finishes
    }
    this.finish();
  }

  /** The socket closed. */
  finish(): void {
    if (this.state === ReadyState.CLOSED) return;
    const connection = this.connection;
    // closeCode stays -1 unless a close frame arrived or we failed the connection ourselves.
    const wasClean = connection !== null && connection.closeState === CloseState.CLOSE_RECEIVED;
    this.state = ReadyState.CLOSED;
    this.timers?.stopAll();
    this.timers = null;
    connection?.dispose();
    this.outbound?.discard();
    const socket = this.socket;
    if (socket !== null) unlisten(socket);
    const peer = this.peer;
    peer.observer?.peerClosed(peer, wasClean);
    peer.emit('connectionClosed', wasClean);
  }

  /** The other side closed its half of TCP. */
  remoteEnded(): void {
    const socket = this.socket;
    if (socket !== null && !socket.writableEnded) {
      this.flushNow();
      socket.end();
    }
  }

  private armCloseTimer(): void {
    (this.timers ??= new BindingTimers(this)).armClose(this.options.closeTimeoutMs);
  }

  /** (Re)starts the heartbeat with the current interval; 0 stops it. */
  startHeartbeat(): void {
    const seconds = this.options.heartbeatInterval;
    if (seconds > 0) (this.timers ??= new BindingTimers(this)).startHeartbeat(seconds);
    else this.timers?.stopHeartbeat();
  }
}

function moveReadsOf(binding: SocketBinding): void {
  binding.moveReadsNow();
}

function continueInputOf(binding: SocketBinding): void {
  binding.continueInput();
}
