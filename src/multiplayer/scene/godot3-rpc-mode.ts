/**
 * Godot 3's rpc/rset modes (the `remote`, `master`, `puppet` keywords and
 * their `sync` forms) and the two rules core/io/multiplayer_api.cpp (3.2)
 * applies to them: who may call (`_can_call_mode`) and whether the caller
 * also runs the call itself (`_should_call_local`).
 */

export type Godot3RpcMode = 'disabled' | 'remote' | 'remotesync' | 'master' | 'mastersync' | 'puppet' | 'puppetsync';

export const GODOT3_RPC_MODES: readonly Godot3RpcMode[] = ['disabled', 'remote', 'remotesync', 'master', 'mastersync', 'puppet', 'puppetsync'];

/**
 * Whether a call from `remoteId` may run on a node whose network master is
 * `master`, on the side whose own id is `selfId`: `remote*` anyone, `master*`
 * only where this side is the master, `puppet*` only where it is not and the
 * caller is the master.
 */
export function canCallMode(mode: Godot3RpcMode, selfId: number, master: number, remoteId: number): boolean {
  const isMaster = selfId === master;
  switch (mode) {
    case 'remote':
    case 'remotesync':
      return true;
    case 'master':
    case 'mastersync':
      return isMaster;
    case 'puppet':
    case 'puppetsync':
      return !isMaster && remoteId === master;
    default:
      return false;
  }
}

/** For a call this side makes that includes itself: whether it runs here, and whether the network send is skipped. */
export function shouldCallLocal(mode: Godot3RpcMode, isMaster: boolean): { callLocal: boolean; skipSend: boolean } {
  switch (mode) {
    case 'mastersync':
      return { callLocal: true, skipSend: isMaster };
    case 'remotesync':
    case 'puppetsync':
      return { callLocal: true, skipSend: false };
    case 'master':
      return { callLocal: isMaster, skipSend: isMaster };
    case 'puppet':
      return { callLocal: !isMaster, skipSend: false };
    default:
      return { callLocal: false, skipSend: false };
  }
}
