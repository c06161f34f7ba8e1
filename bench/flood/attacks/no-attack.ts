import { sleep } from '../flood-writer.js';
import type { Attack } from './attack.js';

/** The reference row: no attacker at all, only the probe, to show what the probe measures on a quiet server. */
export const noAttack: Attack = async (config, started) => {
  started();
  await sleep(config.seconds * 1000);
  return { dropped: 'n/a (no attacker)', note: 'probe only' };
};
