export type { RoomKind, RoomEndpoint, RoomLink, RoomInfo, RoomChoice, MultiplayerRoomsEvents } from './room-link.js';
export type { RoomChooser, MultiplayerRoomsOptions } from './multiplayer-rooms-options.js';
export type { MultiplayerRoomsApi } from './multiplayer-rooms-api.js';
export { MultiplayerRooms } from './multiplayer-rooms.js';
export { roomByPath, ROOM_PREFIXES, MAX_ROOM_NAME } from './room-by-path.js';
