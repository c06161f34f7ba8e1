import { ReadyState } from './ready-state.js';
import { dropStream } from './byte-stream.js';
import type { SocketBinding } from './socket-binding.js';

const EMPTY = Buffer.alloc(0);

/**
 * The timers of one connection: the close timeout (drop the socket when the
 * close handshake or TCP close does not finish in time) and the heartbeat
 * (ping every interval, drop the connection when the pong never came).
 * A SocketBinding creates it on first use: idle connections without a
 * heartbeat never hold one.
 */
export class BindingTimers {
  private readonly binding: SocketBinding;
  private closeTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  awaitingPong = false;

  constructor(binding: SocketBinding) {
    this.binding = binding;
  }

  armClose(ms: number): void {
    this.clearClose();
    this.closeTimer = setTimeout(() => {
      this.closeTimer = null;
      const socket = this.binding.socket;
      if (socket !== null) dropStream(socket);
    }, ms);
    this.closeTimer.unref();
  }

  clearClose(): void {
    if (this.closeTimer !== null) {
      clearTimeout(this.closeTimer);
      this.closeTimer = null;
    }
  }

  startHeartbeat(seconds: number): void {
    this.stopHeartbeat();
    if (!(seconds > 0)) return;
    this.awaitingPong = false;
    const binding = this.binding;
    this.heartbeat = setInterval(() => {
      if (!this.awaitingPong) {
        this.awaitingPong = true;
        binding.connection?.sendPing(EMPTY);
      } else if (binding.pauseReasons === 0) {
        // Timers run before socket reads: let a pong already in the kernel be read before judging.
        setImmediate(() => {
          if (this.awaitingPong && binding.pauseReasons === 0 && binding.state === ReadyState.OPEN) binding.abort();
        });
      }
      // While reading is paused (the application is not reading), a pong cannot be seen: no verdict.
    }, seconds * 1000);
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    if (this.heartbeat !== null) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  stopAll(): void {
    this.clearClose();
    this.stopHeartbeat();
  }
}
