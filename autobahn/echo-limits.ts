import type { WebSocketClient, WebSocketServer } from '../src/index.js';

/**
 * How long the opening handshake may take. In fuzzingserver mode the testsuite
 * builds every frame of a case before it answers the handshake: 0.1-5.6 s for
 * the 65,536 frames of 9.3.1 / 9.4.1, past Godot's default of 3 s. The server
 * runner does not need it (the testsuite's client sends its request at once),
 * and it changes nothing there.
 */
export const TESTSUITE_HANDSHAKE_TIMEOUT_SECONDS = 60;

/**
 * Limits for the testsuite's largest cases: 9.1.6 / 9.2.6 send 16 MiB
 * messages, and an echo may still be going out when the next message arrives.
 */
export function raiseLimitsForTestsuite(target: WebSocketServer | WebSocketClient): void {
  target.inboundBufferSize = 16 * 1024 * 1024 + 1024;
  target.outboundBufferSize = 32 * 1024 * 1024;
  target.maxQueuedPackets = 4096;
  target.handshakeTimeout = TESTSUITE_HANDSHAKE_TIMEOUT_SECONDS;
}
