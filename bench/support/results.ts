/** One measured run: one subject, one cell, one round. */
export interface RunResult {
  messagesPerSecond: number;
  megabytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the load process during the window, in cores (1 = one core busy). */
  loadCpu: number;
  /** CPU of the server process during the window, in cores. */
  serverCpu: number;
}

export interface Cell {
  size: number;
  connections: number;
}

/** The WebSocket implementations compared: gdws, ws, and uWebSockets.js (server side only, when it loads). */
export type Subject = 'gdws' | 'ws' | 'uws';
/** Memory also has a bare node:net server, Node's own cost per socket. */
export type MemorySubject = Subject | 'net';

export const SUBJECT_NAMES: Record<MemorySubject, string> = { gdws: 'gdws', ws: 'ws', uws: 'uWS.js', net: 'bare node:net' };

export interface CellResults {
  cell: Cell;
  /** Per subject, one run per round; empty for a subject not measured. */
  runs: Record<Subject, RunResult[]>;
  /** The raw driver against the plain node:net echo server, one run per round (see ThroughputPlan.withCeiling). */
  ceiling?: RunResult[];
}

export function emptyRuns<T>(): Record<Subject, T[]> {
  return { gdws: [], ws: [], uws: [] };
}

/** Handshake rate: connections upgraded per second with `concurrency` handshakes in progress at a time. */
export interface HandshakeRun {
  handshakesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  loadCpu: number;
  serverCpu: number;
}

export interface HandshakeResults {
  concurrency: number;
  runs: Record<Subject, HandshakeRun[]>;
  /** The bare node:net server that answers a fixed 101 without parsing anything: Node's own ceiling per connection. */
  floor: HandshakeRun[];
}

export interface MemoryResult {
  subject: MemorySubject;
  connections: number;
  /** Settled readings (see bench/support/memory-runs.ts): before the connections opened, and with them open and idle. */
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  /** RSS one second after the last connection opened: V8's young generation is still grown from the handshake burst. */
  rssSoon: number;
  /** Seconds the connections sat idle before the settled reading. */
  idleSeconds: number;
}

/** Per idle connection: 'rss' the settled RSS growth, 'soon' the growth one second after opening, 'heap' the JS heap's growth. */
export function perConnection(result: MemoryResult, kind: 'rss' | 'soon' | 'heap'): number {
  const after = kind === 'rss' ? result.rssAfter - result.rssBefore : kind === 'soon' ? result.rssSoon - result.rssBefore : result.heapAfter - result.heapBefore;
  return after / result.connections;
}

export function median(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function medianOf(runs: RunResult[], key: keyof RunResult): number {
  return median(runs.map((run) => run[key]));
}

/** gdws/ws (or gdws/`other`) ratio of median messages/s. */
export function throughputRatio(results: CellResults, other: Subject = 'ws'): number {
  return medianOf(results.runs.gdws, 'messagesPerSecond') / medianOf(results.runs[other], 'messagesPerSecond');
}

export function formatSize(bytes: number): string {
  if (bytes >= 1 << 20) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

export function cellLabel(cell: Cell): string {
  return `${formatSize(cell.size)} × ${cell.connections}`;
}
