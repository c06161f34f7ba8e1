import {
  cellLabel,
  median,
  medianOf,
  perConnection,
  SUBJECT_NAMES,
  throughputRatio,
  type Cell,
  type CellResults,
  type HandshakeResults,
  type HandshakeRun,
  type MemoryResult,
  type MemorySubject,
  type RunResult,
  type Subject,
} from './results.js';

export interface ReportInput {
  command: string;
  environment: string[];
  rounds: number;
  warmupMs: number;
  windowMs: number;
  inFlight: number;
  /** Who took part on the server side (uws only when it loaded), and why uWS.js is missing if it is. */
  serverSubjects: readonly Subject[];
  notes: string[];
  server: CellResults[];
  latency: CellResults[];
  handshakes: HandshakeResults[];
  client: CellResults[];
  memory: MemoryResult[];
}

/** The issue's targets: gdws/ws messages/s per side and size, and bytes per idle connection. */
export function throughputTarget(side: 'server' | 'client', cell: Cell): number {
  const small = cell.size <= 1024;
  if (side === 'server') return small ? 2 : 1;
  return 1.5;
}
export const MEMORY_TARGET_BYTES = 3072;
export const HANDSHAKE_TARGET = 2;

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** A whole number with thousands separators; n/a for a failed run. */
const count = (value: number): string => (Number.isFinite(value) ? number.format(value) : 'n/a');
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function ratioText(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}

function latency(runs: RunResult[]): string {
  return `${fixed(medianOf(runs, 'p50Ms'), 3)} / ${fixed(medianOf(runs, 'p99Ms'), 3)}`;
}

function percent(cores: number): string {
  return Number.isFinite(cores) ? `${Math.round(cores * 100)}%` : 'n/a';
}

/** The spread of per-round ratios (round i's gdws against round i's other subject), so noise shows. */
function ratioRange(gdws: number[], other: number[]): string {
  const ratios = gdws.map((value, round) => value / (other[round] ?? Number.NaN)).filter((ratio) => Number.isFinite(ratio));
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

const slash = (subjects: readonly Subject[], value: (subject: Subject) => string): string => subjects.map(value).join(' / ');
const names = (subjects: readonly Subject[]): string => subjects.map((subject) => SUBJECT_NAMES[subject]).join(' / ');

function throughputTable(side: 'server' | 'client', rows: CellResults[], subjects: readonly Subject[]): string[] {
  const withUws = subjects.includes('uws');
  const withCeiling = rows.some((results) => (results.ceiling?.length ?? 0) > 0);
  const header = [
    'cell (size × conns)',
    ...subjects.map((subject) => `${SUBJECT_NAMES[subject]} msg/s`),
    ...(withCeiling ? ['plain node:net msg/s (ceiling)', 'ceiling/ws', 'gdws/ceiling'] : []),
    '**gdws/ws**',
    ...(withUws ? ['**gdws/uWS.js**'] : []),
    'per-round gdws/ws',
    'target vs ws',
    `MB/s (${names(subjects)})`,
    `RTT p50 / p99 ms (${names(subjects)})`,
    `${side} CPU µs/msg (${names(subjects)})`,
    `${side === 'server' ? 'load driver' : 'client'} CPU (${names(subjects)})`,
    `${side === 'server' ? 'server' : 'echo server'} CPU (${names(subjects)})`,
  ];
  const lines = [`| ${header.join(' | ')} |`, `|---|${header.slice(1).map(() => '--:').join('|')}|`];
  for (const results of rows) {
    const runs = results.runs;
    const ratio = throughputRatio(results);
    const cells = [
      cellLabel(results.cell),
      ...subjects.map((subject) => count(medianOf(runs[subject], 'messagesPerSecond'))),
      ...(withCeiling ? ceilingCells(results) : []),
      `**${ratioText(ratio)}**`,
      ...(withUws ? [`**${ratioText(throughputRatio(results, 'uws'))}**`] : []),
      ratioRange(
        runs.gdws.map((run) => run.messagesPerSecond),
        runs.ws.map((run) => run.messagesPerSecond),
      ),
      verdict(ratio, throughputTarget(side, results.cell)),
      slash(subjects, (subject) => oneDecimal.format(medianOf(runs[subject], 'megabytesPerSecond'))),
      slash(subjects, (subject) => latency(runs[subject])),
      slash(subjects, (subject) => fixed(microsPerMessage(runs[subject], side), 2)),
      slash(subjects, (subject) => percent(medianOf(runs[subject], 'loadCpu'))),
      slash(subjects, (subject) => percent(medianOf(runs[subject], 'serverCpu'))),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** The plain node:net run's median msg/s, how far above ws any library could go in this cell, and where gdws stands under it. */
function ceilingCells(results: CellResults): string[] {
  const ceiling = medianOf(results.ceiling ?? [], 'messagesPerSecond');
  return [
    count(ceiling),
    ratioText(ceiling / medianOf(results.runs.ws, 'messagesPerSecond')),
    ratioText(medianOf(results.runs.gdws, 'messagesPerSecond') / ceiling),
  ];
}

function latencyTable(rows: CellResults[], subjects: readonly Subject[]): string[] {
  const header = [
    'cell',
    ...subjects.map((subject) => `${SUBJECT_NAMES[subject]} RTT p50 / p99 ms`),
    'ws/gdws p50 / p99',
    ...(subjects.includes('uws') ? ['uWS.js/gdws p50 / p99'] : []),
    `msg/s (${names(subjects)})`,
  ];
  const lines = [`| ${header.join(' | ')} |`, `|---|${header.slice(1).map(() => '--:').join('|')}|`];
  // Above 1×: gdws answers sooner.
  const versus = (runs: CellResults['runs'], other: Subject): string =>
    `${ratioText(medianOf(runs[other], 'p50Ms') / medianOf(runs.gdws, 'p50Ms'))} / ${ratioText(medianOf(runs[other], 'p99Ms') / medianOf(runs.gdws, 'p99Ms'))}`;
  for (const results of rows) {
    const runs = results.runs;
    lines.push(
      `| ${cellLabel(results.cell)}, 1 in flight | ${subjects.map((subject) => latency(runs[subject])).join(' | ')} | ${versus(runs, 'ws')} | ${subjects.includes('uws') ? `${versus(runs, 'uws')} | ` : ''}${slash(subjects, (subject) => count(medianOf(runs[subject], 'messagesPerSecond')))} |`,
    );
  }
  return lines;
}

function handshakeRate(runs: HandshakeRun[]): number {
  return median(runs.map((run) => run.handshakesPerSecond));
}

function handshakeLabel(concurrency: number): string {
  return concurrency === 1 ? 'one after another' : `${concurrency} concurrent`;
}

function handshakeTable(rows: HandshakeResults[], subjects: readonly Subject[]): string[] {
  const withUws = subjects.includes('uws');
  const header = [
    'handshakes',
    ...subjects.map((subject) => `${SUBJECT_NAMES[subject]} /s`),
    'bare node:net /s (fixed 101, Node\'s ceiling)',
    '**gdws/ws**',
    ...(withUws ? ['**gdws/uWS.js**'] : []),
    'per-round gdws/ws',
    'target vs ws',
    `connect to 101 p50 / p99 ms (${names(subjects)})`,
    `server CPU (${names(subjects)})`,
    `generator CPU (${names(subjects)})`,
    'failures',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|---|${header.slice(1).map(() => '--:').join('|')}|`];
  for (const results of rows) {
    const runs = results.runs;
    const ratio = handshakeRate(runs.gdws) / handshakeRate(runs.ws);
    const cells = [
      handshakeLabel(results.concurrency),
      ...subjects.map((subject) => count(handshakeRate(runs[subject]))),
      `${count(handshakeRate(results.floor))} (ws ${ratioText(handshakeRate(runs.ws) / handshakeRate(results.floor))}, gdws ${ratioText(handshakeRate(runs.gdws) / handshakeRate(results.floor))} of it)`,
      `**${ratioText(ratio)}**`,
      ...(withUws ? [`**${ratioText(handshakeRate(runs.gdws) / handshakeRate(runs.uws))}**`] : []),
      ratioRange(
        runs.gdws.map((run) => run.handshakesPerSecond),
        runs.ws.map((run) => run.handshakesPerSecond),
      ),
      verdict(ratio, HANDSHAKE_TARGET),
      slash(subjects, (subject) => `${fixed(median(runs[subject].map((run) => run.p50Ms)), 3)} / ${fixed(median(runs[subject].map((run) => run.p99Ms)), 3)}`),
      slash(subjects, (subject) => percent(median(runs[subject].map((run) => run.serverCpu)))),
      slash(subjects, (subject) => percent(median(runs[subject].map((run) => run.loadCpu)))),
      slash(subjects, (subject) => count(runs[subject].reduce((sum, run) => sum + run.failures, 0))),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function memoryGrowth(memory: MemoryResult[], subject: MemorySubject): number {
  return median(memory.filter((run) => run.subject === subject).map((run) => perConnection(run, 'rss')));
}

function memoryRows(memory: MemoryResult[]): string[] {
  const lines = [
    '| server | runs | idle before reading | RSS before | RSS with connections open | **RSS growth per idle connection** | above bare node:net | JS heap per connection | RSS growth 1 s after opening | target |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const mib = (bytes: number): string => `${oneDecimal.format(bytes / (1 << 20))} MiB`;
  const floor = memoryGrowth(memory, 'net');
  for (const subject of ['gdws', 'ws', 'uws', 'net'] as MemorySubject[]) {
    const runs = memory.filter((run) => run.subject === subject);
    if (runs.length === 0) continue;
    const per = (kind: Parameters<typeof perConnection>[1]): number => median(runs.map((run) => perConnection(run, kind)));
    const growth = per('rss');
    const target = subject === 'gdws' ? (growth <= MEMORY_TARGET_BYTES ? '≤ 3 KiB ✓' : '≤ 3 KiB ✗') : '';
    const above = subject === 'net' || !Number.isFinite(floor) ? '' : `${count(growth - floor)} B`;
    lines.push(
      `| ${SUBJECT_NAMES[subject]} | ${runs.length} × ${count(runs[0]!.connections)} | ${count(median(runs.map((run) => run.idleSeconds)))} s | ${mib(median(runs.map((run) => run.rssBefore)))} | ${mib(median(runs.map((run) => run.rssAfter)))} | ` +
        `**${count(growth)} B** (${oneDecimal.format(growth / 1024)} KiB) | ${above} | ${count(per('heap'))} B | ${count(per('soon'))} B | ${target} |`,
    );
  }
  return lines;
}

/** One line per cell, every figure from this run: gdws, ws, uWS.js and the two ratios. */
function summaryRows(input: ReportInput): string[] {
  const withUws = input.serverSubjects.includes('uws');
  const lines = [`| cell | gdws | ws | ${withUws ? 'uWS.js | ' : ''}gdws/ws | ${withUws ? 'gdws/uWS.js |' : ''}`, `|---|--:|--:|--:|${withUws ? '--:|--:|' : ''}`];
  const row = (label: string, values: Record<Subject, number>, format: (value: number) => string, higherIsBetter: boolean): void => {
    // Ratios always read "how many times better gdws is": above 1× is better, whether higher or lower figures win.
    const better = (other: number): string => ratioText(higherIsBetter ? values.gdws / other : other / values.gdws);
    lines.push(`| ${label} | ${format(values.gdws)} | ${format(values.ws)} | ${withUws ? `${format(values.uws)} | ` : ''}${better(values.ws)} | ${withUws ? `${better(values.uws)} |` : ''}`);
  };
  const perSubject = (value: (subject: Subject) => number): Record<Subject, number> => ({ gdws: value('gdws'), ws: value('ws'), uws: value('uws') });
  for (const results of input.server) {
    row(`server echo ${cellLabel(results.cell)} (msg/s)`, perSubject((subject) => medianOf(results.runs[subject], 'messagesPerSecond')), (value) => count(value), true);
  }
  for (const results of input.latency) {
    for (const key of ['p50Ms', 'p99Ms'] as const) {
      row(`latency ${cellLabel(results.cell)}, 1 in flight, RTT ${key.slice(0, 3)} (ms)`, perSubject((subject) => medianOf(results.runs[subject], key)), (value) => fixed(value, 3), false);
    }
  }
  for (const results of input.handshakes) {
    row(`handshakes, ${handshakeLabel(results.concurrency)} (/s)`, perSubject((subject) => handshakeRate(results.runs[subject])), (value) => count(value), true);
  }
  if (input.memory.length > 0) {
    const connections = count(input.memory[0]!.connections);
    row(`idle connection, RSS growth per connection at ${connections} (B)`, perSubject((subject) => memoryGrowth(input.memory, subject)), (value) => count(value), false);
  }
  for (const results of input.client) {
    // The client side has no uWS.js (it has no client): its column stays empty.
    const values = perSubject((subject) => medianOf(results.runs[subject], 'messagesPerSecond'));
    lines.push(
      `| client echo ${cellLabel(results.cell)} (msg/s) | ${count(values.gdws)} | ${count(values.ws)} | ${withUws ? '– | ' : ''}${ratioText(values.gdws / values.ws)} | ${withUws ? '– |' : ''}`,
    );
  }
  return lines;
}

export function markdownReport(input: ReportInput): string {
  const serverSubjects = input.serverSubjects;
  const lines: string[] = [
    '# gdws vs ws vs uWebSockets.js: end-to-end benchmark',
    '',
    `Command: \`${input.command}\``,
    '',
    ...input.environment.map((line) => `- ${line}`),
    ...input.notes.map((line) => `- **Note:** ${line}`),
    `- ${input.rounds} rounds per cell, the subjects alternating within each round and taking turns to go first (gdws, ws, uWS.js | uWS.js, ws, gdws | …); each run in fresh processes; ` +
      `warm-up ${input.warmupMs} ms (and at least one full cycle of in-flight messages), then a ${input.windowMs} ms window. Figures are medians over the rounds.`,
    `- Throughput cells: every connection keeps ${input.inFlight} binary messages in flight. MB/s counts echoed payload bytes once (10^6 B). RTT is send to echo, per message.`,
    '- CPU % columns are the share of one core each process used during the window (user + system time, read from /proc for the server). ' +
      '"CPU µs/msg" is the measured process\'s CPU time per echoed message: its efficiency, whatever the latency regime.',
    '',
    '## Every cell',
    '',
    'Ratios read "times better than": above 1× gdws is ahead (for latency and memory, lower figures win, so the ratio is theirs / gdws).',
    '',
    ...summaryRows(input),
    '',
  ];
  if (input.server.length > 0) {
    lines.push(
      `## Server side: echo servers (${names(serverSubjects)})`,
      '',
      'Every server is driven by the same load driver (bench/drivers/raw-driver.ts): no WebSocket library, frames masked once and re-sent, replies parsed for headers only (each connection\'s first echo is checked byte for byte). Its CPU use is shown, to show it is not the bottleneck. ' +
        'The ceiling column is the same driver against bench/raw-echo-server.ts: plain node:net, a streaming echo that unmasks each read (ws\'s native bufferutil) straight into one reply write and never assembles a message. It is no WebSocket server, but where the CPU is the limit (100 connections) it shows what Node and the kernel allow; with one connection the round trip sets the pace, and a server that lets its peer start sooner (gdws writes every few frames there) can pass it.',
      '',
      ...throughputTable('server', input.server, serverSubjects),
      '',
    );
  }
  if (input.latency.length > 0) {
    lines.push(
      '## Latency: one message in flight',
      '',
      'The same echo servers and raw load driver, one connection with one message in flight: each echo is sent the moment the previous one returns, so RTT is the whole cost of one message through the server and the loopback.',
      '',
      ...latencyTable(input.latency, serverSubjects),
      '',
    );
  }
  if (input.handshakes.length > 0) {
    lines.push(
      '## Handshakes',
      '',
      'bench/native/handshake-load.c (a C epoll client, built with cc at run time) keeps 256 handshakes in progress, or one at a time: connect, one upgrade request, read the 101 and check its accept value, then reset the connection (SO_LINGER 0, so no TIME_WAIT) and open the next. The echo servers are the ones above, unchanged.',
      '',
      ...handshakeTable(input.handshakes, serverSubjects),
      '',
    );
  }
  if (input.client.length > 0) {
    lines.push(
      '## Client side: gdws client vs ws client',
      '',
      'Both clients (gdws `WebSocketPeer`, ws `WebSocket` with bufferutil) talk to the same server: bench/raw-echo-server.ts, a streaming echo server that unmasks each chunk with bufferutil straight into one reply write, so it stays cheaper than either client. uWebSockets.js has no client. ' +
        'The ceiling column is the raw load driver as the client against the same server: no WebSocket library on either side, so where the CPU is the limit (100 connections) ceiling/ws is about the most any client could be ahead of ws in that cell; with one connection the round trip sets the pace and a client that pipelines can pass it.',
      '',
      ...throughputTable('client', input.client, ['gdws', 'ws']),
      '',
    );
  }
  if (input.memory.length > 0) {
    lines.push(
      '## Memory per idle connection (server process, compiled JS)',
      '',
      'Plain RSS growth: RSS of the server process with the idle connections open, minus its RSS before they opened, divided by the number of connections. ' +
        'The connections are opened by a separate process (bench/idle-connector.ts) after a warm-up of 50 connections opened and closed; the servers run with --expose-gc. ' +
        "Both readings are taken once the process has settled (V8's young generation back to its size in the fresh process and RSS steady over two polls 2 s apart), after full GCs. " +
        "Settling matters: a burst of thousands of handshakes grows V8's young generation by megabytes that no connection holds, and V8's memory reducer gives them back about 8 s after allocation stops. " +
        'The reading 1 s after opening, before that, is shown too. "bare node:net" (bench/net-idle-server.ts) answers each connection with a fixed 101 and only holds the socket: what Node itself costs per open socket.',
      '',
      ...memoryRows(input.memory),
      '',
    );
  }
  lines.push('Chart: [latest.svg](latest.svg) (gdws/ws and gdws/uWS.js ratios per cell).', '');
  return lines.join('\n');
}

interface ChartRow {
  label: string;
  bars: Array<{ ratio: number; colour: string; target: number }>;
}

const SERVER_COLOUR = '#2f6db5';
const UWS_COLOUR = '#3a9a4a';
const CLIENT_COLOUR = '#e07b24';

/** Horizontal bars of the ratios per cell (gdws/ws server and client, gdws/uWS.js server), with 1× and the targets marked. */
export function svgChart(input: ReportInput, title: string): string {
  const rows: ChartRow[] = [];
  const cells = (input.server.length > 0 ? input.server : input.client).map((results) => results.cell);
  const find = (list: CellResults[], cell: Cell): CellResults | undefined => list.find((results) => results.cell.size === cell.size && results.cell.connections === cell.connections);
  for (const cell of cells) {
    const server = find(input.server, cell);
    const client = find(input.client, cell);
    rows.push({
      label: cellLabel(cell),
      bars: [
        { ratio: server === undefined ? NaN : throughputRatio(server), colour: SERVER_COLOUR, target: throughputTarget('server', cell) },
        { ratio: server === undefined ? NaN : throughputRatio(server, 'uws'), colour: UWS_COLOUR, target: 1 },
        { ratio: client === undefined ? NaN : throughputRatio(client), colour: CLIENT_COLOUR, target: throughputTarget('client', cell) },
      ],
    });
  }
  for (const results of input.handshakes) {
    const rate = (subject: Subject): number => handshakeRate(results.runs[subject]);
    rows.push({
      label: `handshakes ${results.concurrency === 1 ? '× 1' : `× ${results.concurrency}`}`,
      bars: [
        { ratio: rate('gdws') / rate('ws'), colour: SERVER_COLOUR, target: HANDSHAKE_TARGET },
        { ratio: rate('gdws') / rate('uws'), colour: UWS_COLOUR, target: 1 },
      ],
    });
  }
  const all = rows.flatMap((row) => row.bars.map((bar) => bar.ratio)).filter((ratio) => Number.isFinite(ratio) && ratio > 0);
  // A log scale: 0.5× and 2× lie equally far from parity.
  const scaleMin = Math.min(0.25, 2 ** Math.floor(Math.log2(Math.min(...all, 1))));
  const scaleMax = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(...all, 1))));
  const left = 120;
  const plotWidth = 440;
  const top = 56;
  const barHeight = 12;
  const rowHeight = 3 * (barHeight + 2) + 10;
  const height = top + rows.length * rowHeight + 30;
  const width = left + plotWidth + 80;
  const x = (ratio: number): number =>
    left + ((Math.log2(Math.min(Math.max(ratio, scaleMin), scaleMax)) - Math.log2(scaleMin)) / (Math.log2(scaleMax) - Math.log2(scaleMin))) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${left}" y="28" width="12" height="10" fill="${SERVER_COLOUR}"/><text x="${left + 16}" y="37">server gdws/ws</text>`,
    `<rect x="${left + 110}" y="28" width="12" height="10" fill="${UWS_COLOUR}"/><text x="${left + 126}" y="37">server gdws/uWS.js</text>`,
    `<rect x="${left + 245}" y="28" width="12" height="10" fill="${CLIENT_COLOUR}"/><text x="${left + 261}" y="37">client gdws/ws</text>`,
    `<line x1="${left + 355}" y1="27" x2="${left + 355}" y2="39" stroke="#000" stroke-width="2"/><text x="${left + 361}" y="37" fill="#555">target (log scale)</text>`,
  ];
  for (let tick = scaleMin; tick <= scaleMax; tick *= 2) {
    const at = x(tick);
    parts.push(`<line x1="${at}" y1="${top - 6}" x2="${at}" y2="${height - 26}" stroke="${tick === 1 ? '#333' : '#ddd'}" ${tick === 1 ? 'stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${at}" y="${height - 12}" text-anchor="middle" fill="#555">${tick}×</text>`);
  }
  rows.forEach((row, index) => {
    const rowTop = top + index * rowHeight;
    parts.push(`<text x="${left - 8}" y="${rowTop + barHeight + 8}" text-anchor="end">${escapeXml(row.label)}</text>`);
    row.bars.forEach(({ ratio, colour, target }, barIndex) => {
      const y = rowTop + barIndex * (barHeight + 2);
      if (!Number.isFinite(ratio)) return;
      const targetAt = x(target);
      // Bars grow from parity: right when gdws is faster, left when slower.
      const parity = x(1);
      parts.push(`<rect x="${Math.min(parity, x(ratio))}" y="${y}" width="${Math.max(1, Math.abs(x(ratio) - parity))}" height="${barHeight}" fill="${colour}"/>`);
      parts.push(`<line x1="${targetAt}" y1="${y - 1}" x2="${targetAt}" y2="${y + barHeight + 1}" stroke="#000" stroke-width="2"/>`);
      parts.push(`<text x="${Math.max(x(ratio), targetAt) + 4}" y="${y + barHeight - 2}">${ratio.toFixed(2)}×</text>`);
    });
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
