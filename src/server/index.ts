export { WebSocketServer, type WebSocketServerEvents, type ListenOptions } from './websocket-server.js';
