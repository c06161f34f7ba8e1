import { cellLabel, median, medianOf, perConnection, throughputRatio, type Cell, type CellResults, type MemoryResult, type RunResult, type Subject } from './results.js';

export interface ReportInput {
  command: string;
  environment: string[];
  rounds: number;
  warmupMs: number;
  windowMs: number;
  inFlight: number;
  server: CellResults[];
  client: CellResults[];
  memory: MemoryResult[];
}

/** The targets: gdws/ws messages/s per side and size, and bytes per idle connection. */
export function throughputTarget(side: 'server' | 'client', cell: Cell): number {
  const small = cell.size <= 1024;
  if (side === 'server') return small ? 2 : 1;
  return small ? 1.5 : 1;
}
export const MEMORY_TARGET_BYTES = 4096;

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function latency(runs: RunResult[]): string {
  return `${fixed(medianOf(runs, 'p50Ms'), 2)} / ${fixed(medianOf(runs, 'p99Ms'), 2)}`;
}

function percent(cores: number): string {
  return Number.isFinite(cores) ? `${Math.round(cores * 100)}%` : 'n/a';
}

/** The spread of per-round ratios (round i's gdws against round i's ws), so noise shows. */
function ratioRange(results: CellResults): string {
  const ratios = results.runs.gdws
    .map((run, round) => run.messagesPerSecond / (results.runs.ws[round]?.messagesPerSecond ?? Number.NaN))
    .filter((ratio) => Number.isFinite(ratio));
  if (ratios.length === 0) return 'n/a';
  return `${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)}`;
}

function verdict(ratio: number, target: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio >= target ? `≥ ${target}× ✓` : `≥ ${target}× ✗`;
}

/** CPU time per message of the measured process (the server, or the client), median over the rounds. */
function microsPerMessage(runs: RunResult[], side: 'server' | 'client'): number {
  return median(runs.map((run) => ((side === 'server' ? run.serverCpu : run.loadCpu) / run.messagesPerSecond) * 1e6));
}

function throughputTable(side: 'server' | 'client', rows: CellResults[], loadName: string): string[] {
  const lines = [
    `| cell (size × conns) | gdws msg/s | ws msg/s | **gdws/ws** | per-round ratios | target | gdws MB/s | ws MB/s | gdws RTT p50 / p99 ms | ws RTT p50 / p99 ms | ${side} CPU µs/msg (gdws / ws) | ${loadName} CPU (gdws run / ws run) | ${side === 'server' ? 'server' : 'echo server'} CPU (gdws / ws) |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const results of rows) {
    const { gdws, ws } = results.runs;
    const ratio = throughputRatio(results);
    lines.push(
      `| ${cellLabel(results.cell)} | ${number.format(medianOf(gdws, 'messagesPerSecond'))} | ${number.format(medianOf(ws, 'messagesPerSecond'))} | **${fixed(ratio, 2)}×** | ${ratioRange(results)} | ${verdict(ratio, throughputTarget(side, results.cell))} | ${oneDecimal.format(medianOf(gdws, 'megabytesPerSecond'))} | ${oneDecimal.format(medianOf(ws, 'megabytesPerSecond'))} | ${latency(gdws)} | ${latency(ws)} | ${fixed(microsPerMessage(gdws, side), 2)} / ${fixed(microsPerMessage(ws, side), 2)} | ${percent(medianOf(gdws, 'loadCpu'))} / ${percent(medianOf(ws, 'loadCpu'))} | ${percent(medianOf(gdws, 'serverCpu'))} / ${percent(medianOf(ws, 'serverCpu'))} |`,
    );
  }
  return lines;
}

function memoryRows(memory: MemoryResult[]): string[] {
  const lines = [
    '| server | runs | idle before reading | RSS before | RSS with connections open | **RSS growth per idle connection** | JS heap per connection | RSS growth 1 s after opening | target |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const mib = (bytes: number): string => `${oneDecimal.format(bytes / (1 << 20))} MiB`;
  for (const subject of ['gdws', 'ws'] as Subject[]) {
    const runs = memory.filter((run) => run.subject === subject);
    if (runs.length === 0) continue;
    const per = (kind: Parameters<typeof perConnection>[1]): number => median(runs.map((run) => perConnection(run, kind)));
    const growth = per('rss');
    const target = subject === 'gdws' ? (growth <= MEMORY_TARGET_BYTES ? '≤ 4 KiB ✓' : '≤ 4 KiB ✗') : '';
    lines.push(
      `| ${subject} | ${runs.length} × ${number.format(runs[0]!.connections)} | ${number.format(median(runs.map((run) => run.idleSeconds)))} s | ${mib(median(runs.map((run) => run.rssBefore)))} | ${mib(median(runs.map((run) => run.rssAfter)))} | ` +
        `**${number.format(growth)} B** (${oneDecimal.format(growth / 1024)} KiB) | ${number.format(per('heap'))} B | ${number.format(per('soon'))} B | ${target} |`,
    );
  }
  return lines;
}

export function markdownReport(input: ReportInput): string {
  const lines: string[] = [
    '# gdws vs ws: end-to-end benchmark',
    '',
    `Command: \`${input.command}\``,
    '',
    ...input.environment.map((line) => `- ${line}`),
    `- ${input.rounds} rounds per cell, the two subjects alternating within each round and taking turns to go first (gdws, ws | ws, gdws | …); each run in fresh processes; ` +
      `warm-up ${input.warmupMs} ms (and at least one full cycle of in-flight messages), then a ${input.windowMs} ms window. Figures are medians over the rounds.`,
    `- Every connection keeps ${input.inFlight} binary messages in flight. MB/s counts echoed payload bytes once (10^6 B). RTT is send to echo, per message.`,
    '- CPU % columns are the share of one core each process used during the window (user + system time, read from /proc for the server). ' +
      '"CPU µs/msg" is the measured process\'s CPU time per echoed message: its efficiency, whatever the latency regime.',
    '',
  ];
  if (input.server.length > 0) {
    lines.push(
      '## Server side: gdws echo server vs ws echo server',
      '',
      'Both servers are driven by the same load driver (bench/drivers/raw-driver.ts): no WebSocket library, frames masked once and re-sent, replies parsed for headers only (each connection\'s first echo is checked byte for byte). Its CPU use is shown, to show it is not the bottleneck.',
      '',
      ...throughputTable('server', input.server, 'load driver'),
      '',
    );
  }
  if (input.client.length > 0) {
    lines.push(
      '## Client side: gdws client vs ws client',
      '',
      'Both clients (gdws `WebSocketPeer`, ws `WebSocket` with bufferutil) talk to the same server: bench/raw-echo-server.ts, a streaming echo server that unmasks each chunk with bufferutil straight into one reply write, so it stays cheaper than either client.',
      '',
      ...throughputTable('client', input.client, 'client'),
      '',
    );
  }
  if (input.memory.length > 0) {
    lines.push(
      '## Memory per idle connection (server process, compiled JS)',
      '',
      'RSS of the echo server process with the idle connections open, minus its RSS before they opened, divided by the number of connections. ' +
        'The connections are opened by a separate process (bench/idle-connector.ts) after a warm-up of 50 connections opened and closed; the server runs compiled JS with --expose-gc. ' +
        "Both readings are taken once the process has settled (V8's young generation back to its size in the fresh process and RSS steady over two polls 2 s apart), after full GCs. " +
        "Settling matters: the burst of 5,000 handshakes grows V8's young generation by megabytes that no connection holds, and V8's memory reducer gives them back about 8 s after allocation stops. " +
        'The reading 1 s after opening, before that, is shown too.',
      '',
      ...memoryRows(input.memory),
      '',
    );
  }
  lines.push('Chart: [latest.svg](latest.svg) (gdws/ws messages/s ratio per cell).', '');
  return lines.join('\n');
}

/** Horizontal bars of the gdws/ws ratio per cell, server and client side, with 1× and the targets marked. */
export function svgChart(server: CellResults[], client: CellResults[], title: string): string {
  const cells = (server.length > 0 ? server : client).map((results) => results.cell);
  const ratios = (rows: CellResults[], cell: Cell): number => {
    const match = rows.find((results) => results.cell.size === cell.size && results.cell.connections === cell.connections);
    return match === undefined ? Number.NaN : throughputRatio(match);
  };
  const all = cells.flatMap((cell) => [ratios(server, cell), ratios(client, cell)]).filter((ratio) => Number.isFinite(ratio) && ratio > 0);
  // A log scale: 0.5× and 2× lie equally far from parity.
  const scaleMin = Math.min(0.25, 2 ** Math.floor(Math.log2(Math.min(...all, 1))));
  const scaleMax = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(...all, 1))));
  const left = 120;
  const plotWidth = 440;
  const top = 56;
  const rowHeight = 40;
  const barHeight = 13;
  const height = top + cells.length * rowHeight + 30;
  const width = left + plotWidth + 80;
  const x = (ratio: number): number =>
    left + ((Math.log2(Math.min(Math.max(ratio, scaleMin), scaleMax)) - Math.log2(scaleMin)) / (Math.log2(scaleMax) - Math.log2(scaleMin))) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${left}" y="28" width="12" height="10" fill="#2f6db5"/><text x="${left + 16}" y="37">server side</text>`,
    `<rect x="${left + 110}" y="28" width="12" height="10" fill="#e07b24"/><text x="${left + 126}" y="37">client side</text>`,
    `<line x1="${left + 222}" y1="27" x2="${left + 222}" y2="39" stroke="#000" stroke-width="2"/><text x="${left + 228}" y="37" fill="#555">target</text>`,
    `<line x1="${left + 282}" y1="27" x2="${left + 282}" y2="39" stroke="#333" stroke-dasharray="4 3"/><text x="${left + 288}" y="37" fill="#555">parity (1×), log scale</text>`,
  ];
  for (let tick = scaleMin; tick <= scaleMax; tick *= 2) {
    const at = x(tick);
    parts.push(`<line x1="${at}" y1="${top - 6}" x2="${at}" y2="${height - 26}" stroke="${tick === 1 ? '#333' : '#ddd'}" ${tick === 1 ? 'stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${at}" y="${height - 12}" text-anchor="middle" fill="#555">${tick}×</text>`);
  }
  cells.forEach((cell, index) => {
    const rowTop = top + index * rowHeight;
    parts.push(`<text x="${left - 8}" y="${rowTop + barHeight + 4}" text-anchor="end">${escapeXml(cellLabel(cell))}</text>`);
    const bars: Array<['server' | 'client', number, string]> = [
      ['server', ratios(server, cell), '#2f6db5'],
      ['client', ratios(client, cell), '#e07b24'],
    ];
    bars.forEach(([side, ratio, colour], barIndex) => {
      const y = rowTop + barIndex * (barHeight + 2);
      if (!Number.isFinite(ratio)) return;
      const target = x(throughputTarget(side, cell));
      // Bars grow from parity: right when gdws is faster, left when slower.
      const parity = x(1);
      parts.push(`<rect x="${Math.min(parity, x(ratio))}" y="${y}" width="${Math.max(1, Math.abs(x(ratio) - parity))}" height="${barHeight}" fill="${colour}"/>`);
      parts.push(`<line x1="${target}" y1="${y - 1}" x2="${target}" y2="${y + barHeight + 1}" stroke="#000" stroke-width="2"/>`);
      parts.push(`<text x="${Math.max(x(ratio), target) + 4}" y="${y + barHeight - 2}">${ratio.toFixed(2)}×</text>`);
    });
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
