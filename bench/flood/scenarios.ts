import type { AttackName } from './attacks/attack.js';
import type { FloodOptions } from './options.js';
import type { TargetKind } from './server-runner.js';

/** One attack against one server, with the probe that fits it and the memory target that applies. */
export interface Scenario {
  attack: AttackName;
  side: 'gdws' | 'ws';
  server: TargetKind;
  /** How the table names the server. */
  serverLabel: string;
  probe: 'echo' | 'relay';
  rssLimitMiB: number;
}

export const ATTACK_TITLES: Record<AttackName, string> = {
  none: '0. none (probe only, reference)',
  upgrades: '1. malformed upgrades (3,000)',
  ping: '2. ping flood, never reads',
  fragments: '3a. 1-byte continuation flood',
  'empty-fragments': '3b. 0-byte continuation flood',
  'relay-all': '4a. relay flood to all (target 0)',
  'relay-peer': '4b. relay flood to a peer that never reads',
  bombs: '5. 20 parallel compression bombs',
  slowloris: '6. slowloris, 500 connections',
};

const SINGLE = 64;
const BOMBS = 256;

function targetsFor(attack: AttackName): { side: 'gdws' | 'ws'; server: TargetKind; serverLabel: string }[] {
  switch (attack) {
    case 'upgrades':
      return [
        { side: 'gdws', server: 'gdws', serverLabel: 'gdws listen' },
        { side: 'gdws', server: 'gdws-http', serverLabel: 'gdws node:http + handleUpgrade' },
        { side: 'gdws', server: 'gdws-routed', serverLabel: 'gdws node:http + routeUpgrades' },
        { side: 'gdws', server: 'demo', serverLabel: 'gdws demo (npx tsx demo/server.ts)' },
        { side: 'ws', server: 'ws', serverLabel: 'ws' },
      ];
    case 'slowloris':
      return [
        { side: 'gdws', server: 'gdws', serverLabel: 'gdws listen' },
        { side: 'gdws', server: 'gdws-http', serverLabel: 'gdws node:http + handleUpgrade' },
        { side: 'gdws', server: 'gdws-routed', serverLabel: 'gdws node:http + routeUpgrades' },
        { side: 'ws', server: 'ws', serverLabel: 'ws' },
      ];
    case 'relay-all':
    case 'relay-peer':
      return [
        { side: 'gdws', server: 'gdws-relay', serverLabel: 'gdws WebSocketMultiplayerPeer' },
        { side: 'ws', server: 'ws-relay', serverLabel: 'ws minimal relay' },
      ];
    case 'bombs':
      return [
        { side: 'gdws', server: 'gdws-deflate', serverLabel: 'gdws listen, deflate' },
        { side: 'ws', server: 'ws-deflate', serverLabel: 'ws, perMessageDeflate' },
      ];
    default:
      return [
        { side: 'gdws', server: 'gdws', serverLabel: 'gdws listen' },
        { side: 'ws', server: 'ws', serverLabel: 'ws' },
      ];
  }
}

export function scenariosFor(options: FloodOptions): Scenario[] {
  return options.attacks.flatMap((attack) =>
    targetsFor(attack)
      .filter((target) => options.servers.includes(target.side))
      .map((target) => ({
        attack,
        ...target,
        probe: attack === 'relay-all' || attack === 'relay-peer' ? ('relay' as const) : ('echo' as const),
        rssLimitMiB: attack === 'bombs' ? BOMBS : SINGLE,
      })),
  );
}
