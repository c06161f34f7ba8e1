/**
 * Variant serialization throughput: varToBytes / bytesToVar on a typical game-state
 * packet and on large packed arrays. Prints a markdown table of medians.
 *
 *   npx tsx bench/variant.bench.ts      (ROUNDS=n to change the number of timed rounds)
 */
import { cpus } from 'node:os';
import { bytesToVar, PackedVector3Array, StringName, varToBytes, Vector2, Vector3 } from '../src/variant/index.js';
import type { Variant } from '../src/variant/index.js';

const rounds = Number(process.env.ROUNDS ?? 7);

/** What a server might broadcast each tick: 16 players with a few fields each. */
function gameState(): Variant {
  const players = new Map<Variant, Variant>();
  for (let id = 0; id < 16; id++) {
    players.set(
      1000 + id,
      new Map<Variant, Variant>([
        ['name', `player-${id}`],
        ['position', new Vector3(id * 1.5, 0.25, -id)],
        ['velocity', new Vector2(0.5, -1.25)],
        ['hp', 100 - id],
        ['score', id * 250],
        ['animation', new StringName('run')],
        ['alive', id % 5 !== 0],
      ]),
    );
  }
  return new Map<Variant, Variant>([
    ['tick', 123456],
    ['time', 1234.5678],
    ['players', players],
    ['events', ['spawn', 'hit', 'pickup']],
  ]);
}

const MIB = 1 << 20;
const floats = new Float32Array(MIB / 4).map((_, i) => Math.fround(i * 0.001));
const vectors = new PackedVector3Array(new Float32Array(Math.floor(MIB / 12) * 3).map((_, i) => Math.fround(i * 0.5)));

interface Case {
  readonly name: string;
  readonly value: Variant;
}

const cases: Case[] = [
  { name: 'game-state packet (Dictionary of 16 players)', value: gameState() },
  { name: 'PackedFloat32Array 1 MiB', value: floats },
  { name: 'PackedVector3Array 1 MiB', value: vectors },
  { name: 'Array of 10k Vector3', value: Array.from({ length: 10_000 }, (_, i) => new Vector3(i, i + 0.5, -i)) },
];

/** Runs `work` repeatedly for ~200 ms per round and returns the median operations per second. */
function rate(work: () => void): number {
  for (let i = 0; i < 20; i++) work();
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const started = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < 200_000_000n) {
      work();
      count++;
      elapsed = process.hrtime.bigint() - started;
    }
    rates.push(count / (Number(elapsed) / 1e9));
  }
  return rates.sort((a, b) => a - b)[rates.length >> 1]!;
}

const rows: string[] = [];
for (const { name, value } of cases) {
  const bytes = varToBytes(value);
  const encodes = rate(() => varToBytes(value));
  const decodes = rate(() => bytesToVar(bytes));
  const mibPerSecond = (perSecond: number) => ((perSecond * bytes.length) / MIB).toFixed(0);
  rows.push(
    `| ${name} | ${bytes.length.toLocaleString('en')} | ${Math.round(encodes).toLocaleString('en')} | ${mibPerSecond(encodes)} | ${Math.round(decodes).toLocaleString('en')} | ${mibPerSecond(decodes)} |`,
  );
  process.stderr.write(`  ${name} done\n`);
}

console.log('| value | bytes | encodes/s | encode MiB/s | decodes/s | decode MiB/s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
console.log(`\nmedian of ${rounds} rounds of ~200 ms; ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}`);
