export { WebSocketMultiplayerPeer, type WebSocketMultiplayerPeerEvents } from './websocket-multiplayer-peer.js';
export { MultiplayerPeerBase, type MultiplayerPeerEvents } from './multiplayer-peer-base.js';
export { Godot3MultiplayerPeer } from './godot3-multiplayer-peer.js';
export { Godot3MultiplayerServer } from './godot3-server.js';
export { Godot3MultiplayerClient, type Godot3ClientEvents } from './godot3-client.js';
export { TransferMode } from './transfer-mode.js';
export { SERVER_PEER_ID, MAX_PEER_ID, randomPeerId } from './peer-id.js';
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
