/** Godot's `MultiplayerPeer.ConnectionStatus` (also reported by WebSocketClient). */
export const ConnectionStatus = {
  DISCONNECTED: 0,
  CONNECTING: 1,
  CONNECTED: 2,
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];
