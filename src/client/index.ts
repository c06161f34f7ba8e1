export { WebSocketClient, type WebSocketClientEvents } from './websocket-client.js';
export { ConnectionStatus } from './connection-status.js';
