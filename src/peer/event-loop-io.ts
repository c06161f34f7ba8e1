import { FlushScheduler } from './flush-scheduler.js';
import { TurnClock } from './turn-clock.js';
import { EncodeSlab } from './encode-slab.js';
import { FrameBufferPool } from './frame-buffer-pool.js';
import { Http2SessionPool } from './http2-sessions.js';
import { READ_REGION_SIZE, simdReadRegion } from '../frame/index.js';

/**
 * The I/O state that connections served by one event loop share: the flush
 * schedule (one write per socket per turn), the turn clock (per-turn frame
 * budgets), the slab small frames are encoded into, the reused memory of
 * large masked frames, the buffer plain TCP
 * sockets read into (see reused-reads.ts), and the pooled HTTP/2
 * connections of clients. Peers get it from
 * their owner's options (`PeerOptions.io`) or use the process's default
 * instance; nothing else in src/peer holds I/O state at module level.
 */
export class EventLoopIo {
  readonly flushes = new FlushScheduler();
  readonly clock = new TurnClock();
  readonly slab = new EncodeSlab();
  readonly frameBuffers = new FrameBufferPool();
  private sessions: Http2SessionPool | null = null;
  private reusedReadBuffer: Buffer | null = null;

  /**
   * The one buffer this loop's plain TCP sockets read into; created on first
   * use. It lies in the masking module's wasm memory when there is one, so
   * payloads are unmasked where they were read (every loop of the thread may
   * share it: each read is consumed before the next one starts).
   */
  get readBuffer(): Buffer {
    return (this.reusedReadBuffer ??= simdReadRegion() ?? Buffer.allocUnsafeSlow(READ_REGION_SIZE));
  }

  /** The clients' pooled HTTP/2 connections (RFC 8441 WebSockets); created on first use. */
  get http2Sessions(): Http2SessionPool {
    return (this.sessions ??= new Http2SessionPool());
  }
}

/** The instance peers use when their owner gives them none. */
export const defaultEventLoopIo = new EventLoopIo();
