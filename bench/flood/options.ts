import type { AttackName } from './attacks/attack.js';

/** `npx tsx bench/flood.bench.ts [--attacks a,b] [--seconds N] [--servers gdws,ws]`. */
export interface FloodOptions {
  attacks: AttackName[];
  seconds: number;
  servers: ('gdws' | 'ws')[];
}

export const ALL_ATTACKS: AttackName[] = ['none', 'upgrades', 'ping', 'fragments', 'empty-fragments', 'relay-all', 'relay-peer', 'bombs', 'slowloris'];
/** Shorthands accepted by --attacks. */
const ALIASES: Record<string, AttackName[]> = { relay: ['relay-all', 'relay-peer'], fragment: ['fragments', 'empty-fragments'] };

const USAGE = `usage: npx tsx bench/flood.bench.ts [--attacks ${ALL_ATTACKS.join(',')}|relay] [--seconds N (1-15, default 10)] [--servers gdws,ws]`;

export function parseFloodOptions(argv: readonly string[]): FloodOptions {
  const options: FloodOptions = { attacks: [...ALL_ATTACKS], seconds: 10, servers: ['gdws', 'ws'] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(USAGE);
    if (flag === '--attacks') {
      const wanted = value.split(',').flatMap((name) => ALIASES[name] ?? [name]);
      const unknown = wanted.filter((name) => !ALL_ATTACKS.includes(name as AttackName));
      if (unknown.length > 0) throw new Error(`unknown attack ${unknown.join(', ')}\n${USAGE}`);
      options.attacks = ALL_ATTACKS.filter((name) => wanted.includes(name));
    } else if (flag === '--seconds') {
      options.seconds = Number(value);
      if (!Number.isFinite(options.seconds) || options.seconds < 1 || options.seconds > 15) throw new Error(`--seconds must be 1-15\n${USAGE}`);
    } else if (flag === '--servers') {
      const servers = value.split(',');
      if (servers.some((name) => name !== 'gdws' && name !== 'ws')) throw new Error(`--servers takes gdws and/or ws\n${USAGE}`);
      options.servers = servers as ('gdws' | 'ws')[];
    } else {
      throw new Error(USAGE);
    }
    i++;
  }
  return options;
}
