import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenePathCache } from '../../../src/multiplayer/scene/path-cache.js';
import { compareMethodNames, NodeRpcTable, normalizeNodePath } from '../../../src/multiplayer/scene/rpc-config.js';
import { TransferMode } from '../../../src/multiplayer/transfer-mode.js';

describe('rpc method ids (SceneRPCInterface::_parse_rpc_config)', () => {
  it('numbers the methods by their sorted names, whatever the registration order', () => {
    const table = new NodeRpcTable();
    table.set('zeta', { mode: 'any_peer' });
    table.set('Alpha', {});
    table.set('beta', { callLocal: true, transferMode: 'unreliable', channel: 2 });
    expect([0, 1, 2].map((id) => table.method(id)?.name)).toEqual(['Alpha', 'beta', 'zeta']);
    expect(table.methodNamed('zeta')).toMatchObject({ id: 2, mode: 'any_peer', callLocal: false, transferMode: TransferMode.RELIABLE, channel: 0 });
    expect(table.methodNamed('Alpha')).toMatchObject({ id: 0, mode: 'authority' });
    expect(table.methodNamed('beta')).toMatchObject({ id: 1, callLocal: true, transferMode: TransferMode.UNRELIABLE, channel: 2 });
  });

  it('checksum = MD5 hex of the names concatenated in id order (get_rpc_md5)', () => {
    const table = new NodeRpcTable();
    table.set('ping', {});
    table.set('greet', {});
    expect(table.checksum()).toBe(createHash('md5').update('greetping').digest('hex'));
    table.set('add', {});
    expect(table.checksum()).toBe(createHash('md5').update('addgreetping').digest('hex'));
  });

  it('native (Node.rpc_config) methods get bit 15 and come first in the checksum', () => {
    const table = new NodeRpcTable();
    table.set('b', {});
    table.set('a', { native: true });
    expect(table.methodNamed('a')?.id).toBe(0x8000);
    expect(table.methodNamed('b')?.id).toBe(0);
    expect(table.checksum()).toBe(createHash('md5').update('ab').digest('hex'));
  });

  it('orders names by code point like Godot String, not by UTF-16 unit', () => {
    expect(compareMethodNames('B', 'a')).toBeLessThan(0);
    expect(compareMethodNames('ab', 'abc')).toBeLessThan(0);
    // U+1D49C is above U+FF5A, though its first UTF-16 unit (0xD835) is below 0xFF5A.
    expect(compareMethodNames('\u{1d49c}', '\uff5a')).toBeGreaterThan(0);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => Math.sign(compareMethodNames(a, b)) === -Math.sign(compareMethodNames(b, a))));
  });

  it('node paths are relative to /root', () => {
    expect(normalizeNodePath('/root/Main')).toBe('Main');
    expect(normalizeNodePath('Main/Player/')).toBe('Main/Player');
    expect(normalizeNodePath('/root')).toBe('');
  });
});

describe('ScenePathCache', () => {
  it('remembers what each peer announced and refuses a reused id', () => {
    const cache = new ScenePathCache();
    expect(cache.remember(5, 1, 'Main')).toBe(true);
    expect(cache.remember(5, 1, 'Other')).toBe(false);
    expect(cache.remember(6, 1, 'Other')).toBe(true);
    expect(cache.lookup(5, 1)).toBe('Main');
    expect(cache.lookup(6, 1)).toBe('Other');
    expect(cache.lookup(5, 2)).toBeUndefined();
    cache.forgetPeer(5);
    expect(cache.lookup(5, 1)).toBeUndefined();
  });

  it('announces a path once per peer, ids from 1, and uses the id after confirmation', () => {
    const cache = new ScenePathCache();
    expect(cache.prepare('Main', [5])).toEqual({ id: 1, announce: [5], allConfirmed: false });
    expect(cache.prepare('Main', [5, 6])).toEqual({ id: 1, announce: [6], allConfirmed: false });
    expect(cache.prepare('Main/Player', [5])).toEqual({ id: 2, announce: [5], allConfirmed: false });
    expect(cache.confirm(5, 1)).toBe('confirmed');
    expect(cache.isConfirmed('Main', 5)).toBe(true);
    expect(cache.isConfirmed('Main', 6)).toBe(false);
    expect(cache.prepare('Main', [5])).toEqual({ id: 1, announce: [], allConfirmed: true });
    expect(cache.prepare('Main', [5, 6])).toEqual({ id: 1, announce: [], allConfirmed: false });
    expect(cache.confirm(7, 1)).toBe('not-requested');
    expect(cache.confirm(5, 99)).toBe('unknown-id');
    cache.forgetPeer(5);
    expect(cache.prepare('Main', [5])).toEqual({ id: 1, announce: [5], allConfirmed: false });
  });
});
