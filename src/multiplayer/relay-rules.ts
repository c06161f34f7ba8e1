import { SERVER_PEER_ID } from '../server/peer-id.js';

/** Where a packet goes: to the server's own application and/or on to these clients, or nowhere and why. */
export type Route = { deliverToServer: boolean; forwardTo: number[] } | { dropReason: string };

/** Every connected client except the sender and the excluded one. */
function everyoneBut(connected: Iterable<number>, sender: number, excluded: number): number[] {
  const recipients: number[] = [];
  for (const id of connected) {
    if (id !== sender && id !== excluded) recipients.push(id);
  }
  return recipients;
}

/**
 * Godot 3 `gd_mp_api`: a packet from `sender` (a client, or the server itself
 * as 1) whose header says `to`. `to > 1` one client, `1` the server, `0`
 * everyone, `-X` everyone but X. Unlike Godot 3.2, `-1` really excludes the server.
 */
export function routeGodot3Packet(sender: number, to: number, connected: ReadonlySet<number> | ReadonlyMap<number, unknown>): Route {
  if (to === SERVER_PEER_ID) return { deliverToServer: sender !== SERVER_PEER_ID, forwardTo: [] };
  if (to > SERVER_PEER_ID) {
    if (to === sender) return { dropReason: `packet from ${sender} is addressed to its own sender` };
    if (!connected.has(to)) return { dropReason: `target peer ${to} is not connected` };
    return { deliverToServer: false, forwardTo: [to] };
  }
  const excluded = -to;
  return {
    deliverToServer: sender !== SERVER_PEER_ID && excluded !== SERVER_PEER_ID,
    forwardTo: everyoneBut(connected.keys(), sender, excluded),
  };
}

/**
 * Godot 4 SceneMultiplayer relay, on the server: client `sender` wrapped a
 * packet for `target`. `target > 0` one connected client (the server itself is
 * never a relay target: packets for it travel unwrapped), `0` everyone,
 * `-X` everyone but X; the server's application gets it unless excluded by `-1`.
 */
export function routeSceneRelay(sender: number, target: number, connected: ReadonlySet<number> | ReadonlyMap<number, unknown>): Route {
  if (target > 0) {
    // SceneMultiplayer drops it quietly: the target may have left while the packet was in transit.
    if (!connected.has(target)) return { dropReason: `relay target ${target} is not connected` };
    return { deliverToServer: false, forwardTo: [target] };
  }
  const excluded = -target;
  return { deliverToServer: excluded !== SERVER_PEER_ID, forwardTo: everyoneBut(connected.keys(), sender, excluded) };
}

/** Godot 4 peer layer, server side: which clients a packet the server sends with `target` reaches. */
export function serverTargets(target: number, connected: ReadonlyMap<number, unknown>): number[] | null {
  if (target > 0) return connected.has(target) ? [target] : null;
  return everyoneBut(connected.keys(), SERVER_PEER_ID, -target);
}
