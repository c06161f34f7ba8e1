import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ConformanceCase } from './cases/case.js';
import { connectRawClient, RawFakeServer } from './driver/handshake.js';
import { CONFORMANCE_ECHO_OPTIONS } from './subjects/subject.js';
import type { EchoClientSubject, EchoServerSubject, RunningEchoServer } from './subjects/subject.js';

export interface RunOptions {
  /** Case ids the subject is known to fail; they must fail (it.fails), which proves the driver notices. */
  knownFailures?: ReadonlySet<string>;
}

/** A describe per section and a test per case, each case run by `runCase`; known failures must fail. */
function describeSections(sections: Record<string, ConformanceCase[]>, options: RunOptions, runCase: (testCase: ConformanceCase) => Promise<void>): void {
  for (const [section, cases] of Object.entries(sections)) {
    describe(section, () => {
      for (const testCase of cases) {
        const test = options.knownFailures?.has(testCase.id) ? it.fails : it;
        test(`${testCase.id} ${testCase.title}`, () => runCase(testCase), testCase.timeoutMs);
      }
    });
  }
}

/** Runs each case on a fresh connection from the raw driver to the echo server under test. */
export function describeServerConformance(
  subject: EchoServerSubject,
  sections: Record<string, ConformanceCase[]>,
  options: RunOptions = {},
): void {
  describe(subject.name, () => {
    let server: RunningEchoServer;
    beforeAll(async () => {
      server = await subject.start(CONFORMANCE_ECHO_OPTIONS);
    });
    afterAll(async () => {
      await server?.close();
    });

    describeSections(sections, options, async (testCase) => {
      const peer = server.openRawPeer !== undefined ? await server.openRawPeer() : await connectRawClient(server.port);
      try {
        await testCase.run(peer);
      } finally {
        peer.dispose();
      }
    });
  });
}

/** Runs each case with the echo client under test connected to a fresh raw fake server. */
export function describeClientConformance(
  subject: EchoClientSubject,
  sections: Record<string, ConformanceCase[]>,
  options: RunOptions = {},
): void {
  describe(subject.name, () => {
    describeSections(sections, options, async (testCase) => {
      const fakeServer = await RawFakeServer.listen();
      const connecting = subject.connect(fakeServer.url, CONFORMANCE_ECHO_OPTIONS);
      try {
        const [{ peer }] = await Promise.all([fakeServer.accept(), connecting]);
        try {
          await testCase.run(peer);
        } finally {
          peer.dispose();
        }
      } finally {
        await connecting.then(
          (client) => client.close(),
          () => {},
        );
        await fakeServer.close();
      }
    });
  });
}
