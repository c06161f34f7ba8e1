import { Godot3MultiplayerServer, SceneMultiplayerServer, Vector2, WebSocketMultiplayerPeer, WebSocketServer, type Variant } from '../src/index.js';

/**
 * The demo game: one lobby that Godot 4 clients (`/game4`, SceneMultiplayer)
 * and Godot 3 clients (`/game3`, MultiplayerAPI over gd_mp_api) join
 * together. The Node server is the authority: players call `join(name)`,
 * `say(text)` and move (Godot 4 `move.rpc_id(1, position)`, Godot 3
 * `rset_id(1, "position", position)`); the server calls `chat`, `lobby`
 * (the player list) and `moved` on every client of both engines. The node is
 * the main scene's root, named Main, on both.
 */
export const GAME_NODE = 'Main';
const MAX_NAME = 20;
const MAX_TEXT = 200;

interface Player {
  name: string;
  engine: 'Godot 3' | 'Godot 4';
  position: Vector2;
}

export interface DemoGame {
  godot4: WebSocketMultiplayerPeer;
  godot3: WebSocketServer;
  scene: SceneMultiplayerServer;
  api: Godot3MultiplayerServer;
  /** Joined players by key (`4:<id>` or `3:<id>`), for tests and logs. */
  players(): string[];
  close(): Promise<void>;
}

export function createDemoGame(log: (line: string) => void): DemoGame {
  const godot4 = new WebSocketMultiplayerPeer();
  const godot3 = new WebSocketServer();
  godot3.gdMpApi = true;
  const scene = new SceneMultiplayerServer(godot4);
  const api = new Godot3MultiplayerServer(godot3);
  const players = new Map<string, Player>();

  const broadcast = (method: string, ...args: Variant[]): void => {
    scene.rpc(0, GAME_NODE, method, ...args);
    // No Godot 3 client yet: nothing to send, and the gd_mp_api server is not "connected".
    if (api.getPeers().length > 0) api.rpc(0, GAME_NODE, method, ...args);
  };
  const announceLobby = (): void => broadcast('lobby', [...players.values()].map((player) => `${player.name} (${player.engine})`));

  const join = (key: string, engine: Player['engine'], name: Variant): void => {
    const clean = typeof name === 'string' ? name.trim().slice(0, MAX_NAME) : '';
    const player = { name: clean === '' ? `player ${key}` : clean, engine, position: new Vector2(0, 0) };
    const rejoin = players.has(key);
    players.set(key, player);
    log(`game: ${player.name} joined from ${engine}`);
    if (!rejoin) broadcast('chat', 'server', `${player.name} joined from ${engine}`);
    announceLobby();
  };
  const say = (key: string, text: Variant): void => {
    const player = players.get(key);
    if (player === undefined || typeof text !== 'string' || text === '') return;
    broadcast('chat', player.name, text.slice(0, MAX_TEXT));
  };
  const move = (key: string, position: Variant): void => {
    const player = players.get(key);
    if (player === undefined || !(position instanceof Vector2) || !Number.isFinite(position.x) || !Number.isFinite(position.y)) return;
    player.position = position;
    broadcast('moved', player.name, position);
  };
  const leave = (key: string): void => {
    const player = players.get(key);
    if (player === undefined) return;
    players.delete(key);
    log(`game: ${player.name} left`);
    broadcast('chat', 'server', `${player.name} left`);
    announceLobby();
  };

  // Godot 4: every @rpc of the node, as the GDScript on the page declares them (ids come from the sorted names).
  scene
    .registerRpc(GAME_NODE, 'join', { mode: 'any_peer' }, (id, name) => join(`4:${id}`, 'Godot 4', name))
    .registerRpc(GAME_NODE, 'say', { mode: 'any_peer' }, (id, text) => say(`4:${id}`, text))
    .registerRpc(GAME_NODE, 'move', { mode: 'any_peer' }, (id, position) => move(`4:${id}`, position))
    .registerRpc(GAME_NODE, 'chat', { mode: 'authority' })
    .registerRpc(GAME_NODE, 'lobby', { mode: 'authority' })
    .registerRpc(GAME_NODE, 'moved', { mode: 'authority' });
  scene.on('peerDisconnected', (id) => leave(`4:${id}`));

  // Godot 3: remote funcs and vars the clients call and set; puppet funcs the server calls.
  api
    .registerRpc(GAME_NODE, 'join', 'remote', (id, name) => join(`3:${id}`, 'Godot 3', name))
    .registerRpc(GAME_NODE, 'say', 'remote', (id, text) => say(`3:${id}`, text))
    .registerProperty(GAME_NODE, 'position', 'remote', (id, position) => move(`3:${id}`, position));
  api.on('peerDisconnected', (id) => leave(`3:${id}`));

  return {
    godot4,
    godot3,
    scene,
    api,
    players: () => [...players.keys()],
    async close() {
      scene.detach();
      api.detach();
      await Promise.all([godot4.close(), godot3.stop()]);
    },
  };
}
