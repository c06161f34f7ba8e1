import type { Socket } from 'node:net';
import { closeCodeOf, FrameReader, type FrameHandler } from './frame-reader.js';

/**
 * Watches one attacking connection and records how the server dropped it:
 * the close frame's code (when the attacker read it), the TCP end (FIN) or
 * a reset, each with the time since `startedAt` (ms, performance.now()).
 */
export class ConnectionEnd {
  closeCode: number | null = null;
  closeAt: number | null = null;
  endAt: number | null = null;
  errorCode: string | null = null;
  errorAt: number | null = null;
  closedAt: number | null = null;
  readonly reader: FrameReader;

  constructor(
    readonly socket: Socket,
    private readonly startedAt: number,
    onOtherFrame: FrameHandler = () => {},
  ) {
    this.reader = new FrameReader((opcode, fin, payload) => {
      if (opcode === 0x8 && this.closeCode === null) {
        this.closeCode = closeCodeOf(payload);
        this.closeAt = this.now();
      } else onOtherFrame(opcode, fin, payload);
    });
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    socket.on('end', () => {
      this.endAt ??= this.now();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.errorCode !== null) return;
      this.errorCode = error.code ?? error.message;
      this.errorAt = this.now();
    });
    socket.on('close', () => {
      this.closedAt ??= this.now();
    });
  }

  get dropped(): boolean {
    return this.closeCode !== null || this.endAt !== null || this.errorCode !== null || this.closedAt !== null;
  }

  /** The first sign of the drop, in seconds since the start. */
  get droppedAfter(): number | null {
    const times = [this.closeAt, this.endAt, this.errorAt, this.closedAt].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times) / 1000;
  }

  /** "close 1009 @ 0.41 s", "reset (ECONNRESET) @ 2.10 s", "TCP end @ 3.00 s" or "still connected at end". */
  describe(): string {
    const at = this.droppedAfter;
    if (at === null) return 'still connected at end';
    const when = `@ ${at.toFixed(2)} s`;
    if (this.closeCode !== null) return `close ${this.closeCode} ${when}`;
    if (this.errorCode !== null) return `reset (${this.errorCode}) ${when}`;
    if (this.endAt !== null) return `TCP end, no close frame ${when}`;
    return `TCP closed ${when}`;
  }

  private now(): number {
    return performance.now() - this.startedAt;
  }
}
