import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { runFuzzingServerCases } from '../../autobahn/client-runner.js';
import { startEchoServer } from '../../autobahn/echo-server.js';

/**
 * The Autobahn runners against stand-ins for the testsuite (which cannot run
 * here): a tiny fake fuzzingserver built on `ws` that serves the case count,
 * a few cases and the report request, the way the testsuite's HTTP paths do.
 */

interface Echo {
  data: Buffer;
  isBinary: boolean;
}

/** What each fake case sends, and what the runner must echo back. */
const FAKE_CASES: Array<Array<{ data: Buffer; binary: boolean }>> = [
  [
    { data: Buffer.from('Hello, κόσμε'), binary: false },
    { data: Buffer.from([0, 1, 2, 254, 255]), binary: true },
  ],
  [{ data: randomBytes(1024 * 1024), binary: true }],
  // A case where the testsuite closes at once, as its failure cases often do.
  [],
];

class FakeFuzzingServer {
  readonly requests: string[] = [];
  readonly echoes = new Map<number, Echo[]>();

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket, request) => this.serve(socket, request.url ?? ''));
  }

  /** `slowCaseOneMs` holds the handshake answer for case 1, as the testsuite does while it builds a case's frames. */
  static async start(slowCaseOneMs = 0): Promise<FakeFuzzingServer> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      verifyClient: (info, done) => {
        const delay = info.req.url?.startsWith('/runCase?case=1&') ? slowCaseOneMs : 0;
        setTimeout(() => done(true), delay);
      },
    });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new FakeFuzzingServer(server);
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `ws://127.0.0.1:${address.port}`;
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: WebSocket, path: string): void {
    this.requests.push(path);
    const url = new URL(path, 'ws://fake');
    if (url.pathname === '/getCaseCount') {
      socket.send(String(FAKE_CASES.length));
      socket.close(1000);
    } else if (url.pathname === '/runCase') {
      this.runCase(socket, Number(url.searchParams.get('case')));
    } else {
      socket.close(1000);
    }
  }

  private runCase(socket: WebSocket, caseNumber: number): void {
    const messages = FAKE_CASES[caseNumber - 1] ?? [];
    const echoes: Echo[] = [];
    this.echoes.set(caseNumber, echoes);
    socket.on('message', (data, isBinary) => {
      echoes.push({ data: data as Buffer, isBinary });
      if (echoes.length === messages.length) socket.close(1000);
    });
    for (const message of messages) socket.send(message.data, { binary: message.binary });
    if (messages.length === 0) socket.close(1000);
  }
}

describe('autobahn/client-runner (fuzzingserver mode)', () => {
  let fake: FakeFuzzingServer | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('reads the case count, runs every case echoing each message with its type, then updates the reports', async () => {
    fake = await FakeFuzzingServer.start();
    const log: string[] = [];
    const summary = await runFuzzingServerCases({ url: `${fake.url}/`, agent: 'gdws test', log: (line) => log.push(line) });

    expect(fake.requests).toEqual([
      '/getCaseCount',
      '/runCase?case=1&agent=gdws%20test',
      '/runCase?case=2&agent=gdws%20test',
      '/runCase?case=3&agent=gdws%20test',
      '/updateReports?agent=gdws%20test',
    ]);
    expect(summary.caseCount).toBe(3);
    expect(summary.cases.map((run) => [run.caseNumber, run.connected, run.wasClean])).toEqual([
      [1, true, true],
      [2, true, true],
      [3, true, true],
    ]);
    FAKE_CASES.forEach((messages, index) => {
      const echoes = fake!.echoes.get(index + 1) ?? [];
      expect(echoes.map((echo) => [echo.isBinary, echo.data.toString('hex')])).toEqual(
        messages.map((message) => [message.binary, message.data.toString('hex')]),
      );
    });
    expect(log).toEqual(expect.arrayContaining(['case 1 of 3', 'case 2 of 3', 'case 3 of 3', 'reports updated']));
  });

  it("waits past Godot's 3 s handshake timeout for a case whose handshake the testsuite answers late", async () => {
    fake = await FakeFuzzingServer.start(3_500);
    const summary = await runFuzzingServerCases({ url: fake.url, agent: 'gdws' });
    expect(summary.cases.map((run) => [run.caseNumber, run.connected, run.wasClean, run.problem])).toEqual([
      [1, true, true, undefined],
      [2, true, true, undefined],
      [3, true, true, undefined],
    ]);
    expect(fake.echoes.get(1)?.length).toBe(FAKE_CASES[0]!.length);
  });

  it('reports a testsuite that cannot be reached instead of hanging', async () => {
    fake = await FakeFuzzingServer.start();
    const unreachable = fake.url;
    await fake.close();
    fake = null;
    await expect(runFuzzingServerCases({ url: unreachable, agent: 'gdws' })).rejects.toThrow(/getCaseCount/);
  });
});

describe('autobahn/echo-server (fuzzingclient mode)', () => {
  it('echoes text as text and binary as binary, up to 16 MiB', async () => {
    const server = await startEchoServer({ host: '127.0.0.1', port: 0 });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${server.getListeningPort()}/`, { maxPayload: 32 * 1024 * 1024 });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const received: Echo[] = [];
      const big = randomBytes(16 * 1024 * 1024);
      const allEchoed = new Promise<void>((resolve) => {
        socket.on('message', (data, isBinary) => {
          received.push({ data: data as Buffer, isBinary });
          if (received.length === 2) resolve();
        });
      });
      socket.send('κόσμε');
      socket.send(big);
      await allEchoed;
      expect(received[0]).toEqual({ data: Buffer.from('κόσμε'), isBinary: false });
      expect(received[1]!.isBinary).toBe(true);
      expect(received[1]!.data.equals(big)).toBe(true);
      socket.close();
    } finally {
      await server.stop();
    }
  });
});
