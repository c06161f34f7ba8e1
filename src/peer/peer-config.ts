import { EventEmitter } from 'node:events';
import type { AdmissionCheck } from './admission.js';
import { resolveDeflateOption, type DeflateOptions, type DeflateSettings } from './deflate-options.js';
import type { GodotError } from '../godot-error.js';
import { DEFAULT_PEER_OPTIONS, type PeerOptions } from './peer-options.js';
import type { PeerError } from './websocket-peer.js';

type EventMap<T> = Record<keyof T, unknown[]>;

/**
 * Godot's buffer and handshake properties for the objects that create peers
 * (servers, clients, multiplayer peers). Each change makes a new options
 * object, so peers already connected keep the settings they started with and
 * new peers share one object instead of a copy each.
 */
export class PeerConfig<Events extends EventMap<Events>> extends EventEmitter<Events> {
  protected peerOptions: Readonly<PeerOptions> = DEFAULT_PEER_OPTIONS;
  /** Detail of the last call that returned an error, for a person to act on. */
  lastError: PeerError | null = null;

  /** Keeps the detail of a failed call as `lastError` and returns its code. */
  protected recordError(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }

  protected setOption<K extends keyof PeerOptions>(key: K, value: PeerOptions[K]): void {
    this.peerOptions = Object.freeze({ ...this.peerOptions, [key]: value });
  }

  get inboundBufferSize(): number {
    return this.peerOptions.inboundBufferSize;
  }
  set inboundBufferSize(value: number) {
    this.setOption('inboundBufferSize', positiveInteger(value, 'inboundBufferSize'));
  }
  get outboundBufferSize(): number {
    return this.peerOptions.outboundBufferSize;
  }
  set outboundBufferSize(value: number) {
    this.setOption('outboundBufferSize', positiveInteger(value, 'outboundBufferSize'));
  }
  get maxQueuedPackets(): number {
    return this.peerOptions.maxQueuedPackets;
  }
  set maxQueuedPackets(value: number) {
    this.setOption('maxQueuedPackets', positiveInteger(value, 'maxQueuedPackets'));
  }
  get handshakeHeaders(): string[] {
    return [...this.peerOptions.handshakeHeaders];
  }
  set handshakeHeaders(value: string[]) {
    this.setOption('handshakeHeaders', [...value]);
  }
  get supportedProtocols(): string[] {
    return [...this.peerOptions.supportedProtocols];
  }
  set supportedProtocols(value: string[]) {
    this.setOption('supportedProtocols', [...value]);
  }
  get heartbeatInterval(): number {
    return this.peerOptions.heartbeatInterval;
  }
  set heartbeatInterval(seconds: number) {
    if (!(seconds >= 0)) throw new RangeError('heartbeatInterval must be a number of seconds >= 0');
    this.setOption('heartbeatInterval', seconds);
  }
  /** Seconds the opening handshake may take (Godot's default 3.0). */
  get handshakeTimeout(): number {
    return this.peerOptions.handshakeTimeoutMs / 1000;
  }
  set handshakeTimeout(seconds: number) {
    if (!(seconds > 0)) throw new RangeError('handshakeTimeout must be a number of seconds > 0');
    this.setOption('handshakeTimeoutMs', Math.round(seconds * 1000));
  }
  /**
   * permessage-deflate compression (RFC 7692), off by default as in Godot:
   * `true` for the defaults or an object to tune it. Applies to connections
   * opened afterwards. Reads back the settings in force, or null when off.
   */
  get deflate(): Readonly<DeflateSettings> | null {
    return this.peerOptions.deflate;
  }
  set deflate(value: boolean | DeflateOptions | null) {
    this.setOption('deflate', resolveDeflateOption(value));
  }
  /**
   * Clients: open WebSockets over HTTP/2 (RFC 8441), sharing one HTTP/2
   * connection per origin, instead of one HTTP/1.1 upgrade per WebSocket.
   * The server must announce SETTINGS_ENABLE_CONNECT_PROTOCOL.
   */
  get http2(): boolean {
    return this.peerOptions.http2 === true;
  }
  set http2(enabled: boolean) {
    this.setOption('http2', enabled === true);
  }
  /**
   * Server side: a check that sees each upgrade request (URL, headers, remote
   * address, chosen subprotocol) before the 101 and admits or refuses it; it
   * may be async. What it attaches on admission is `peer.admission`. null
   * (the default) admits everyone.
   */
  get admit(): AdmissionCheck | null {
    return this.peerOptions.admit;
  }
  set admit(check: AdmissionCheck | null) {
    if (check !== null && typeof check !== 'function') throw new TypeError('admit must be a function or null');
    this.setOption('admit', check);
  }
}

export function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
