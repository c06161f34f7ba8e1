export { WebSocketServer, type WebSocketServerEvents, type ListenOptions } from './websocket-server.js';
export { routeUpgrades, type UpgradeTarget, type UpgradeRoutingOptions } from './upgrade-router.js';
