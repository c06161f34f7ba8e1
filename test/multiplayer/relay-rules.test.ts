import { describe, expect, it } from 'vitest';
import { randomPeerId } from '../../src/server/peer-id.js';
import { routeGodot3Packet, routeSceneRelay, serverTargets } from '../../src/multiplayer/relay-rules.js';

const connected = new Set([10, 20, 30]);

describe('Godot 3 relay rules (server receiving from client 10)', () => {
  it.each([
    [1, { deliverToServer: true, forwardTo: [] }],
    [0, { deliverToServer: true, forwardTo: [20, 30] }],
    [-20, { deliverToServer: true, forwardTo: [30] }],
    [-10, { deliverToServer: true, forwardTo: [20, 30] }],
    [-1, { deliverToServer: false, forwardTo: [20, 30] }],
    [20, { deliverToServer: false, forwardTo: [20] }],
  ])('to %i', (to, expected) => {
    expect(routeGodot3Packet(10, to, connected)).toEqual(expected);
  });

  it('drops packets for unknown peers and for the sender itself', () => {
    expect(routeGodot3Packet(10, 99, connected)).toEqual({ dropReason: 'target peer 99 is not connected' });
    expect(routeGodot3Packet(10, 10, connected)).toEqual({ dropReason: 'packet from 10 is addressed to its own sender' });
  });

  it('routes what the server itself sends without delivering it back to the server', () => {
    expect(routeGodot3Packet(1, 0, connected)).toEqual({ deliverToServer: false, forwardTo: [10, 20, 30] });
    expect(routeGodot3Packet(1, -20, connected)).toEqual({ deliverToServer: false, forwardTo: [10, 30] });
    expect(routeGodot3Packet(1, 1, connected)).toEqual({ deliverToServer: false, forwardTo: [] });
    expect(routeGodot3Packet(1, 30, connected)).toEqual({ deliverToServer: false, forwardTo: [30] });
  });
});

describe('SceneMultiplayer relay rules (server unwrapping an envelope from client 10)', () => {
  it.each([
    [20, { deliverToServer: false, forwardTo: [20] }],
    [0, { deliverToServer: true, forwardTo: [20, 30] }],
    [-30, { deliverToServer: true, forwardTo: [20] }],
    [-1, { deliverToServer: false, forwardTo: [20, 30] }],
  ])('target %i', (target, expected) => {
    expect(routeSceneRelay(10, target, connected)).toEqual(expected);
  });

  it('drops envelopes for peers that are not connected, the server included', () => {
    expect(routeSceneRelay(10, 99, connected)).toEqual({ dropReason: 'relay target 99 is not connected' });
    expect(routeSceneRelay(10, 1, connected)).toEqual({ dropReason: 'relay target 1 is not connected' });
  });
});

describe('Godot 4 server targets', () => {
  const peers = new Map([10, 20, 30].map((id) => [id, id]));
  it('sends to one, all, or all but one', () => {
    expect(serverTargets(20, peers)).toEqual([20]);
    expect(serverTargets(0, peers)).toEqual([10, 20, 30]);
    expect(serverTargets(-20, peers)).toEqual([10, 30]);
    expect(serverTargets(99, peers)).toBeNull();
    expect(serverTargets(1, peers)).toBeNull();
  });
});

describe('random peer ids', () => {
  it('are 31-bit, never 0 or 1, and avoid taken ids', () => {
    for (let i = 0; i < 2000; i++) {
      const id = randomPeerId();
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThan(1);
      expect(id).toBeLessThanOrEqual(0x7fffffff);
    }
    let calls = 0;
    const id = randomPeerId(() => ++calls < 5);
    expect(calls).toBe(5);
    expect(id).toBeGreaterThan(1);
  });
});
