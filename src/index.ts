/// <reference types="node" preserve="true" />
// The public API exposes Node types (Buffer, net.Socket, http.IncomingMessage), so its typings need @types/node.

export { GodotError, GodotErrorException } from './godot-error.js';
export { CloseCode, Opcode, ProtocolError, MAX_CLOSE_REASON_BYTES } from './frame/index.js';
export { HandshakeError, HandshakeRefusal } from './handshake/index.js';
export {
  WebSocketPeer,
  ReadyState,
  WriteMode,
  TLSOptions,
  DEFAULT_PEER_OPTIONS,
  type WebSocketPeerEvents,
  type PeerError,
  type PeerOptions,
  type Pem,
  type DeflateOptions,
  type DeflateSettings,
} from './peer/index.js';
export { X509Certificate, CryptoKey, type CertificateSource, type KeySource } from './peer/tls-material.js';
export { routeUpgrades, type UpgradeTarget, type UpgradeRoutingOptions } from './server/index.js';
export { WebSocketServer, WebSocketClient, type WebSocketServerEvents, type ListenOptions, type WebSocketClientEvents, type Godot3ClientEvents } from './godot3/index.js';
export {
  WebSocketMultiplayerPeer,
  ConnectionStatus,
  TransferMode,
  Godot3PacketType,
  SceneSystemCommand,
  SceneMultiplayerServer,
  SceneCommand,
  type SceneMultiplayerServerEvents,
  type SceneMultiplayerServerOptions,
  type RpcConfig,
  type RpcHandler,
  type AuthCallback,
  type WebSocketMultiplayerPeerEvents,
  type MultiplayerPeerEvents,
} from './multiplayer/index.js';
