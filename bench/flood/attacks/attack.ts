/** What an attack gets and what it tells the harness. */
export interface AttackConfig {
  attack: AttackName;
  port: number;
  seconds: number;
  /** relay-peer: the id of the Godot 4 client the packets are addressed to. */
  target?: number;
  /** bombs: the file holding the compressed payload (built once by the harness). */
  bombFile?: string;
}

export interface AttackOutcome {
  /** How and when the server dropped the attacker (or what it answered, for malformed upgrades). */
  dropped: string;
  /** Volume sent and other facts. */
  note: string;
}

export type AttackName = 'none' | 'upgrades' | 'ping' | 'fragments' | 'empty-fragments' | 'relay-all' | 'relay-peer' | 'bombs' | 'slowloris';

/** Runs one attack; calls `started()` when the flood itself begins (after any setup). */
export type Attack = (config: AttackConfig, started: () => void) => Promise<AttackOutcome>;
