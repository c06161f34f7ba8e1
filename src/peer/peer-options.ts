import type { AdmissionCheck } from './admission.js';
import type { DeflateSettings } from './deflate-options.js';
import type { EventLoopIo } from './event-loop-io.js';

/** Per-connection settings, with Godot 4's defaults. Servers and clients copy theirs to each peer. */
export interface PeerOptions {
  /** Largest message received, and the most bytes held unread before reading pauses. */
  inboundBufferSize: number;
  /** Most payload bytes accepted by `send` and not yet handed to the kernel. */
  outboundBufferSize: number;
  /** Most messages held unread (inbound) or unsent (outbound). */
  maxQueuedPackets: number;
  /** Client: extra request header lines; server: extra response header lines ("Name: value"). */
  handshakeHeaders: string[];
  /** Subprotocols offered (client) or accepted (server). */
  supportedProtocols: string[];
  /** Seconds between pings; 0 disables the heartbeat. */
  heartbeatInterval: number;
  /** Milliseconds the opening handshake may take. */
  handshakeTimeoutMs: number;
  /** Milliseconds to wait for the other side's close frame (and TCP close) before dropping. */
  closeTimeoutMs: number;
  /** Most bytes of HTTP request or response head read during the handshake. */
  maxHandshakeHeadBytes: number;
  /** permessage-deflate (RFC 7692): null is off (Godot's behaviour); a server accepts it, a client offers it. */
  deflate: Readonly<DeflateSettings> | null;
  /** Server side: decides, from the upgrade request, whether a peer is admitted (see admission.ts); null admits everyone. */
  admit: AdmissionCheck | null;
  /**
   * Client side: open the WebSocket over HTTP/2 (RFC 8441), as a stream of
   * one HTTP/2 connection per origin shared by every such WebSocket. The
   * server must announce SETTINGS_ENABLE_CONNECT_PROTOCOL. Off by default.
   */
  http2?: boolean;
  /**
   * @internal Plain TCP sockets read into the event loop's one reused buffer
   * once large messages arrive (a client's only while its loop serves
   * several connections; see reused-reads.ts and moveReadsNow);
   * false keeps Node's fresh Buffer per read,
   * so tests can run the same traffic both ways.
   */
  reusedReads?: boolean;
  /** @internal The I/O state (flush schedule, turn clock, encode slab) the owner's peers share; the default instance when absent. */
  io?: EventLoopIo;
}

export const DEFAULT_PEER_OPTIONS: Readonly<PeerOptions> = Object.freeze({
  inboundBufferSize: 65535,
  outboundBufferSize: 65535,
  maxQueuedPackets: 4096,
  handshakeHeaders: [],
  supportedProtocols: [],
  heartbeatInterval: 0,
  handshakeTimeoutMs: 3000,
  closeTimeoutMs: 3000,
  maxHandshakeHeadBytes: 8192,
  deflate: null,
  admit: null,
});

export function copyPeerOptions(source: Readonly<PeerOptions>): PeerOptions {
  return {
    ...source,
    handshakeHeaders: [...source.handshakeHeaders],
    supportedProtocols: [...source.supportedProtocols],
  };
}
