export { PeerServer, type PeerServerObserver, type PeerServerListenOptions } from './peer-server.js';
export { routeUpgrades, type UpgradeTarget, type UpgradeRoutingOptions } from './upgrade-router.js';
export { SERVER_PEER_ID, MAX_PEER_ID, randomPeerId } from './peer-id.js';
export { TopicHub, SLOW_RECEIVER_REASON, type TopicHubEvents } from './topic-hub.js';
export { type TopicBackplane } from './topic-backplane.js';
