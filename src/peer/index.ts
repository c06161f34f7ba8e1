export { WebSocketPeer, type WebSocketPeerEvents, type PeerError, type PeerObserver } from './websocket-peer.js';
export { ReadyState, WriteMode } from './ready-state.js';
export { DEFAULT_PEER_OPTIONS, copyPeerOptions, type PeerOptions } from './peer-options.js';
export { TLSOptions, type Pem } from './tls-options.js';
export { CloseState, Connection, type ConnectionHandler } from './connection.js';
export { OutboundBuffer, type OutboundTransport } from './outbound-buffer.js';
export { PeerConfig, positiveInteger } from './peer-config.js';
export { resolveDeflateOption, DEFAULT_DEFLATE_SETTINGS, type DeflateOptions, type DeflateSettings } from './deflate-options.js';
