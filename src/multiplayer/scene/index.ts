// The server side of Godot's high-level multiplayer (issue 17): Godot 4 SceneMultiplayer (packet codec, path cache,
// rpc numbering, SceneMultiplayerServer) and Godot 3 MultiplayerAPI (packet codec, Godot3MultiplayerServer).
export {
  SceneMultiplayerServer,
  type SceneMultiplayerServerEvents,
  type SceneMultiplayerServerOptions,
  type RpcHandler,
  type AuthCallback,
} from './scene-multiplayer-server.js';
export { NodeRpcTable, compareMethodNames, normalizeNodePath, type RpcConfig, type RpcMode, type ResolvedRpcMethod } from './rpc-config.js';
export { ScenePathCache, type ConfirmOutcome } from './path-cache.js';
export {
  SceneCommand,
  ScenePacketError,
  commandOf,
  encodeRemoteCall,
  decodeRemoteCall,
  encodeSimplifyPath,
  decodeSimplifyPath,
  encodeConfirmPath,
  decodeConfirmPath,
  encodeRaw,
  decodeRaw,
  encodeAuth,
  decodeAuth,
  type RemoteCall,
  type RpcNode,
  type SimplifyPath,
  type ConfirmPath,
  type EncodeRemoteCallOptions,
} from './scene-packet.js';
export { encodeArguments, decodeArguments, encodeCompressedVariant, decodeCompressedVariant } from './scene-arguments.js';
export {
  Godot3ApiCommand,
  encodeGodot3RemoteCall,
  decodeGodot3RemoteCall,
  encodeGodot3SimplifyPath,
  decodeGodot3SimplifyPath,
  encodeGodot3ConfirmPath,
  decodeGodot3ConfirmPath,
  encodeGodot3Raw,
  decodeGodot3Raw,
  type Godot3RemoteCall,
  type Godot3Node,
} from './godot3-api-packet.js';
export {
  Godot3MultiplayerServer,
  type Godot3MultiplayerServerOptions,
  type Godot3MultiplayerServerEvents,
  type Godot3ApiPeer,
  type Godot3RpcHandler,
  type Godot3PropertyHandler,
  type Godot3RpcMode,
} from './godot3-multiplayer-server.js';
export { canCallMode, shouldCallLocal, GODOT3_RPC_MODES } from './godot3-rpc-mode.js';
export { Godot3PathCache } from './godot3-path-cache.js';
