import type { Attack, AttackConfig, AttackName } from './attacks/attack.js';
import { compressionBombs } from './attacks/compression-bombs.js';
import { fragmentFlood } from './attacks/fragment-flood.js';
import { noAttack } from './attacks/no-attack.js';
import { malformedUpgrades } from './attacks/malformed-upgrades.js';
import { pingFlood } from './attacks/ping-flood.js';
import { relayFlood } from './attacks/relay-flood.js';
import { slowloris } from './attacks/slowloris.js';

/**
 * The attacker, a child process of its own so that its CPU use does not
 * delay the probe's timers: `node --import tsx bench/flood/attacker.ts
 * '<AttackConfig json>'`. Sends {type: 'started'} when the flood begins and
 * {type: 'result', outcome} (or {type: 'failed', message}) at the end.
 */
const ATTACKS: Record<AttackName, Attack> = {
  none: noAttack,
  upgrades: malformedUpgrades,
  ping: pingFlood,
  fragments: fragmentFlood(1),
  'empty-fragments': fragmentFlood(0),
  'relay-all': relayFlood('all'),
  'relay-peer': relayFlood('peer'),
  bombs: compressionBombs,
  slowloris,
};

const config = JSON.parse(process.argv[2] ?? '{}') as AttackConfig;
const send = (message: object): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));
try {
  const outcome = await ATTACKS[config.attack](config, () => void send({ type: 'started' }));
  await send({ type: 'result', outcome });
} catch (error) {
  await send({ type: 'failed', message: (error as Error).message });
}
process.exit(0);
