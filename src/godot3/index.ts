export { WebSocketServer, type WebSocketServerEvents, type ListenOptions } from './websocket-server.js';
export { WebSocketClient, type WebSocketClientEvents, type Godot3ClientEvents } from './websocket-client.js';
