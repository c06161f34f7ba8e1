import type { OutboundBuffer, OutboundTransport } from '../../../src/peer/index.js';
import { EncodeSlab } from '../../../src/peer/encode-slab.js';
import { FrameBufferPool } from '../../../src/peer/frame-buffer-pool.js';
import { FrameParser, type WireFrame } from '../../conformance/driver/frame-parser.js';

export interface RecordedBatch {
  chunks: Buffer[];
  /** Copies of the chunks' bytes at the moment they were handed over. */
  snapshot: Buffer;
  written: () => void;
}

/** An OutboundTransport that keeps every batch, so tests can inspect it and complete writes when they choose. */
export class FakeTransport implements OutboundTransport {
  readonly slab = new EncodeSlab();
  readonly frameBuffers = new FrameBufferPool();
  flushRequests = 0;
  /** What flushEarly() answers. */
  early = false;
  readonly batches: RecordedBatch[] = [];
  private readonly reader = new FrameParser();
  private readonly decoded: WireFrame[] = [];
  private decodedBatches = 0;
  private completed = 0;

  scheduleFlush(): void {
    this.flushRequests++;
  }

  flushEarly(): boolean {
    return this.early;
  }

  /** Takes the batch at once, as the I/O layer does. */
  outputDue(buffer: OutboundBuffer): void {
    const batch = buffer.takeBatch();
    if (batch !== null) this.batches.push({ chunks: batch.chunks, snapshot: Buffer.concat(batch.chunks), written: batch.written });
  }

  /** Completes every write handed over so far, as the kernel taking the bytes would. */
  completeWrites(): void {
    for (; this.completed < this.batches.length; this.completed++) this.batches[this.completed]!.written();
  }

  /** Every frame handed over so far, decoded. */
  frames(): WireFrame[] {
    for (; this.decodedBatches < this.batches.length; this.decodedBatches++) {
      this.decoded.push(...this.reader.push(this.batches[this.decodedBatches]!.snapshot));
    }
    return this.decoded;
  }
}
