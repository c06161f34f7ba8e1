import { processCpuSeconds } from './process-cpu.js';

/** Round-trip times are binned on a log scale: 1% wide bins from 1 µs up, no per-sample storage. */
const BIN_GROWTH = Math.log(1.01);
const BINS = 2400;

export interface LoadSample {
  messages: number;
  payloadBytes: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the load process over the window, as a share of one core (1 = 100%). */
  cpuCores: number;
  /** The same for the server process, read from /proc (NaN where there is no /proc). */
  serverCpuCores: number;
}

/**
 * What a load driver reports as echoes come back. Counting starts at
 * `startWindow` (after warm-up), so connection set-up and JIT warm-up stay
 * out of the figures.
 */
export class LoadRecorder {
  /** The server under load, whose CPU time is read at the window's edges. */
  serverPid = 0;
  messages = 0;
  payloadBytes = 0;
  /** Echoes since the drivers started, warm-up included. */
  totalEchoes = 0;
  private readonly bins = new Uint32Array(BINS);
  private windowStart = 0;
  private cpuStart = process.cpuUsage();
  private serverCpuStart = 0;

  /** One echo of `bytes` payload bytes came back `latencyMs` after it was sent. */
  echoed(latencyMs: number, bytes: number): void {
    this.totalEchoes++;
    this.messages++;
    this.payloadBytes += bytes;
    const micros = latencyMs * 1000;
    const bin = micros <= 1 ? 0 : Math.min(BINS - 1, Math.ceil(Math.log(micros) / BIN_GROWTH));
    this.bins[bin]!++;
  }

  startWindow(): void {
    this.messages = 0;
    this.payloadBytes = 0;
    this.bins.fill(0);
    this.windowStart = performance.now();
    this.cpuStart = process.cpuUsage();
    this.serverCpuStart = processCpuSeconds(this.serverPid);
  }

  sample(): LoadSample {
    const seconds = (performance.now() - this.windowStart) / 1000;
    const cpu = process.cpuUsage(this.cpuStart);
    const serverCpu = processCpuSeconds(this.serverPid) - this.serverCpuStart;
    return {
      messages: this.messages,
      payloadBytes: this.payloadBytes,
      seconds,
      p50Ms: this.percentile(0.5),
      p99Ms: this.percentile(0.99),
      cpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
      serverCpuCores: serverCpu / seconds,
    };
  }

  private percentile(fraction: number): number {
    const wanted = Math.ceil(this.messages * fraction);
    if (wanted === 0) return Number.NaN;
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += this.bins[bin]!;
      if (seen >= wanted) return Math.exp(bin * BIN_GROWTH) / 1000;
    }
    return Number.NaN;
  }
}
