// Godot 3's rpc/rset keywords against core/io/multiplayer_api.cpp (3.2): _can_call_mode and _should_call_local.

import { describe, expect, it } from 'vitest';
import { canCallMode, GODOT3_RPC_MODES, shouldCallLocal } from '../../../src/multiplayer/scene/godot3-rpc-mode.js';

describe('Godot 3 rpc modes', () => {
  it('who may call: remote* anyone, master* only on the master, puppet* only elsewhere and only from the master', () => {
    // [mode, self is master (self 1, master 1) → caller 7, self not master (master 7) → caller 7, → caller 9]
    const table = GODOT3_RPC_MODES.map((mode) => [mode, canCallMode(mode, 1, 1, 7), canCallMode(mode, 1, 7, 7), canCallMode(mode, 1, 7, 9)]);
    expect(table).toEqual([
      ['disabled', false, false, false],
      ['remote', true, true, true],
      ['remotesync', true, true, true],
      ['master', true, false, false],
      ['mastersync', true, false, false],
      ['puppet', false, true, false],
      ['puppetsync', false, true, false],
    ]);
  });

  it('local calls: sync modes always, master on the master (and then not sent), puppet off the master', () => {
    const table = GODOT3_RPC_MODES.map((mode) => [mode, shouldCallLocal(mode, true), shouldCallLocal(mode, false)]);
    expect(table).toEqual([
      ['disabled', { callLocal: false, skipSend: false }, { callLocal: false, skipSend: false }],
      ['remote', { callLocal: false, skipSend: false }, { callLocal: false, skipSend: false }],
      ['remotesync', { callLocal: true, skipSend: false }, { callLocal: true, skipSend: false }],
      ['master', { callLocal: true, skipSend: true }, { callLocal: false, skipSend: false }],
      ['mastersync', { callLocal: true, skipSend: true }, { callLocal: true, skipSend: false }],
      ['puppet', { callLocal: false, skipSend: false }, { callLocal: true, skipSend: false }],
      ['puppetsync', { callLocal: true, skipSend: false }, { callLocal: true, skipSend: false }],
    ]);
  });
});
