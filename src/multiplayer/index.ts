export { WebSocketMultiplayerPeer, type WebSocketMultiplayerPeerEvents } from './websocket-multiplayer-peer.js';
export { MultiplayerPeerBase, type MultiplayerPeerEvents } from './multiplayer-peer-base.js';
export { Godot3ServerProtocol } from './godot3-server-protocol.js';
export { Godot3ClientProtocol, type Godot3ClientHost } from './godot3-client-protocol.js';
export { ConnectionStatus } from './connection-status.js';
export { TransferMode } from './transfer-mode.js';
export {
  GODOT3_HEADER_SIZE,
  Godot3PacketType,
  encodeGodot3Packet,
  encodeGodot3System,
  readGodot3Header,
  readGodot3SystemId,
  godot3Payload,
  type Godot3Header,
} from './godot3-packet.js';
export { GREETING_SIZE, encodeIdGreeting, decodeIdGreeting } from './godot4-greeting.js';
export {
  NETWORK_COMMAND_SYS,
  SYS_COMMAND_SIZE,
  SceneSystemCommand,
  isSceneSystemPacket,
  encodePeerNotice,
  encodeRelay,
  decodeSceneSystemPacket,
  type SceneSystemPacket,
} from './scene-multiplayer-packet.js';
export { routeGodot3Packet, routeSceneRelay, serverTargets, type Route } from './relay-rules.js';
export * from './scene/index.js';
