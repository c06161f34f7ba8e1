import type { WebSocketClient, WebSocketServer } from '../src/index.js';

/**
 * Limits for the testsuite's largest cases: 9.1.6 / 9.2.6 send 16 MiB
 * messages, and an echo may still be going out when the next message arrives.
 */
export function raiseLimitsForTestsuite(target: WebSocketServer | WebSocketClient): void {
  target.inboundBufferSize = 16 * 1024 * 1024 + 1024;
  target.outboundBufferSize = 32 * 1024 * 1024;
  target.maxQueuedPackets = 4096;
}
