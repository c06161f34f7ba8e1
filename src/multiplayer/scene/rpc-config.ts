/**
 * How Godot 4 numbers a node's rpc methods (SceneRPCInterface::_parse_rpc_config):
 * the node's script rpc config (every `@rpc` function of the script, by name)
 * is sorted by method name (String order: Unicode code points) and a method's
 * id is its index in that list. Methods configured on the node itself with
 * `Node.rpc_config()` are numbered the same way among themselves, with bit 15
 * set. The path cache carries an MD5 of the names in id order (native ones
 * first) so both sides can tell when their lists differ.
 *
 * So a server that wants Godot's ids must know the full list of rpc methods
 * the GDScript side declares on that node: register all of them.
 */

import { createHash } from 'node:crypto';
import { TransferMode } from '../transfer-mode.js';

export type RpcMode = 'any_peer' | 'authority' | 'disabled';

export interface RpcConfig {
  /** Who may call it remotely: `authority` (the default, as in `@rpc`) only the node's multiplayer authority, `any_peer` anyone. */
  readonly mode?: RpcMode;
  /** Also run the handler locally when `rpc()` targets everyone (or the server itself). */
  readonly callLocal?: boolean;
  readonly transferMode?: TransferMode | 'reliable' | 'unreliable' | 'unreliable_ordered';
  readonly channel?: number;
  /** A method configured with `Node.rpc_config()` rather than `@rpc` in the script (ids with bit 15). */
  readonly native?: boolean;
}

export interface ResolvedRpcMethod {
  readonly name: string;
  readonly id: number;
  readonly mode: RpcMode;
  readonly callLocal: boolean;
  readonly transferMode: TransferMode;
  readonly channel: number;
}

const NATIVE_ID_FLAG = 1 << 15;

/** Godot's String ordering: by Unicode code point (JS' default sort compares UTF-16 units, which differs for astral characters). */
export function compareMethodNames(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export function transferModeOf(mode: RpcConfig['transferMode']): TransferMode {
  if (mode === undefined || mode === 'reliable') return TransferMode.RELIABLE;
  if (mode === 'unreliable') return TransferMode.UNRELIABLE;
  if (mode === 'unreliable_ordered') return TransferMode.UNRELIABLE_ORDERED;
  return mode;
}

/** The rpc methods of one node, numbered as Godot numbers them. */
export class NodeRpcTable {
  private readonly configs = new Map<string, RpcConfig>();
  private byId: Map<number, ResolvedRpcMethod> | null = null;
  private byName: Map<string, ResolvedRpcMethod> | null = null;
  private md5: string | null = null;

  set(name: string, config: RpcConfig): void {
    this.configs.set(name, config);
    this.byId = this.byName = null;
    this.md5 = null;
  }

  get size(): number {
    return this.configs.size;
  }

  method(id: number): ResolvedRpcMethod | undefined {
    return this.resolve().byId.get(id);
  }

  methodNamed(name: string): ResolvedRpcMethod | undefined {
    return this.resolve().byName.get(name);
  }

  /** MD5 hex of the method names in id order (native first, then script), as get_rpc_md5. */
  checksum(): string {
    if (this.md5 === null) {
      const names = [...this.resolve().byId.values()].map((method) => method.name).join('');
      this.md5 = createHash('md5').update(names, 'utf8').digest('hex');
    }
    return this.md5;
  }

  private resolve(): { byId: Map<number, ResolvedRpcMethod>; byName: Map<string, ResolvedRpcMethod> } {
    if (this.byId === null || this.byName === null) {
      const byId = new Map<number, ResolvedRpcMethod>();
      const byName = new Map<string, ResolvedRpcMethod>();
      for (const native of [true, false]) {
        const names = [...this.configs].filter(([, config]) => (config.native ?? false) === native).map(([name]) => name);
        names.sort(compareMethodNames);
        names.forEach((name, index) => {
          const config = this.configs.get(name)!;
          const method: ResolvedRpcMethod = {
            name,
            id: native ? index | NATIVE_ID_FLAG : index,
            mode: config.mode ?? 'authority',
            callLocal: config.callLocal ?? false,
            transferMode: transferModeOf(config.transferMode),
            channel: config.channel ?? 0,
          };
          byId.set(method.id, method);
          byName.set(name, method);
        });
      }
      this.byId = byId;
      this.byName = byName;
    }
    return { byId: this.byId, byName: this.byName };
  }
}

/**
 * A node path as SceneMultiplayer sends it: relative to its root path `/root`
 * (`/root/Main/Player` and `Main/Player` are the same node).
 */
export function normalizeNodePath(path: string): string {
  let relative = path.startsWith('/root/') ? path.slice('/root/'.length) : path === '/root' ? '' : path;
  while (relative.endsWith('/')) relative = relative.slice(0, -1);
  return relative;
}
