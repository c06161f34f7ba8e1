import type { IncomingMessage } from 'node:http';
import type { RoomChoice, RoomKind } from './room-link.js';

/** Path prefixes of the default chooser: `/room/NAME` for Godot 4, `/room3/NAME` for Godot 3. */
export const ROOM_PREFIXES: Readonly<Record<string, RoomKind>> = { '/room/': 'godot4', '/room3/': 'godot3' };

/** Longest room name accepted, in characters. */
export const MAX_ROOM_NAME = 64;

const NAME = /^[A-Za-z0-9._~-]+$/;

/**
 * The default room chooser: `/room/NAME` (Godot 4) or `/room3/NAME` (Godot 3),
 * the query ignored. NAME is 1-64 characters of letters, digits and `._~-`;
 * anything else is no room (404).
 */
export function roomByPath(request: IncomingMessage): RoomChoice | null {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  for (const [prefix, kind] of Object.entries(ROOM_PREFIXES)) {
    if (!path.startsWith(prefix)) continue;
    const name = path.slice(prefix.length);
    return name.length <= MAX_ROOM_NAME && NAME.test(name) ? { room: name, kind } : null;
  }
  return null;
}
