// The JSON configs the Godot 3 roles in ./project accept (see the comment at the top of
// each role script), and the recognisable payloads both sides use.

export type MessageType = 'text' | 'binary';

/** Pattern bytes of `size` (see patternBytes), or the UTF-8 of `text`. */
export interface PayloadSpec {
  readonly type: MessageType;
  readonly size?: number;
  readonly text?: string;
}

/** Arguments of Godot 3's set_buffers(in_kb, in_packets, out_kb, out_packets). */
export type GodotBuffers = readonly [number, number, number, number];

export interface SleepStep {
  readonly op: 'sleep';
  readonly ms: number;
}

export type RawClientStep =
  | ({ readonly op: 'send' } & PayloadSpec)
  | { readonly op: 'receive'; readonly count?: number }
  | { readonly op: 'close'; readonly code?: number; readonly reason?: string }
  | { readonly op: 'wait_close' }
  | SleepStep;

export interface RawClientConfig {
  readonly url: string;
  readonly protocols?: readonly string[];
  /** Whole header lines, e.g. "X-Test: one". */
  readonly headers?: readonly string[];
  readonly buffers?: GodotBuffers;
  readonly timeoutMs?: number;
  readonly steps?: readonly RawClientStep[];
}

export interface RawServerConfig {
  readonly port: number;
  readonly bindIp?: string;
  readonly protocols?: readonly string[];
  readonly buffers?: GodotBuffers;
  readonly timeoutMs?: number;
  readonly sendOnConnect?: readonly PayloadSpec[];
  readonly closeAfter?: { readonly messages: number; readonly code?: number; readonly reason?: string };
  /** The run ends after this many client_disconnected (default 1). */
  readonly exitAfterDisconnects?: number;
}

/** "server" is id 1; "lowest_peer" is the smallest connected client id. */
export type MpPeerRef = number | 'server' | 'lowest_peer';

export type MpStep =
  | { readonly op: 'wait_peers'; readonly count: number }
  | { readonly op: 'rpc_server'; readonly tag: string }
  | { readonly op: 'rpc_peers'; readonly tag: string }
  | { readonly op: 'rpc_all'; readonly tag: string }
  | { readonly op: 'rpc_except'; readonly except: MpPeerRef; readonly tag: string }
  | { readonly op: 'wait_rpcs'; readonly count: number }
  | { readonly op: 'wait_disconnects'; readonly count: number }
  | { readonly op: 'leave' }
  | SleepStep;

export interface MpServerConfig {
  readonly port: number;
  readonly bindIp?: string;
  readonly buffers?: GodotBuffers;
  readonly timeoutMs?: number;
  readonly steps?: readonly MpStep[];
}

export interface MpClientConfig {
  readonly url: string;
  readonly buffers?: GodotBuffers;
  readonly timeoutMs?: number;
  readonly steps?: readonly MpStep[];
}

/** project/var_client.gd: put_var of its own values, then get_var of `expect` replies. */
export interface VarClientConfig {
  readonly url: string;
  readonly timeoutMs?: number;
  /** Replies to read with get_var before closing (default: one per value sent). */
  readonly expect?: number;
}

/** project/authority_client.gd: a game client whose authority is a Node Godot3MultiplayerServer. */
export interface AuthorityClientConfig {
  readonly url: string;
  readonly name: string;
  /** Close the connection mid-game (300 ms after the welcome rpc and the score rset arrived). */
  readonly leave?: boolean;
  readonly timeoutMs?: number;
}

/** project/demo_game_client.gd: a player of the npm start demo game (/game3), the node /root/Main. */
export interface GameClientConfig {
  readonly url: string;
  readonly name: string;
  /** The other player's name: the run ends once that player's chat and move arrived. */
  readonly other: string;
  readonly timeoutMs?: number;
}

export interface GodotRoleConfigs {
  readonly 'raw-client': RawClientConfig;
  readonly 'raw-server': RawServerConfig;
  readonly 'mp-server': MpServerConfig;
  readonly 'mp-client': MpClientConfig;
  readonly 'var-client': VarClientConfig;
  readonly 'authority-client': AuthorityClientConfig;
  readonly 'game-client': GameClientConfig;
}

export type GodotRole = keyof GodotRoleConfigs;
export type GodotServerRole = 'raw-server' | 'mp-server';

/** Godot's own watchdog when a config gives no timeoutMs (project/role.gd). */
export const GODOT_DEFAULT_TIMEOUT_MS = 10_000;

const BINARY_PERIOD = 251;
const TEXT_PERIOD = 95;
const TEXT_FIRST_BYTE = 0x20;

/** Same bytes as project/payload.gd: binary byte i = i % 251, text byte i = 0x20 + i % 95. */
export function patternBytes(type: MessageType, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) {
    bytes[i] = type === 'text' ? TEXT_FIRST_BYTE + (i % TEXT_PERIOD) : i % BINARY_PERIOD;
  }
  return bytes;
}
