import { frameHeaderLength, maskInto, writeFrameHeader } from '../frame/index.js';
import { MAX_SLAB_FRAME, type EncodeSlab } from './encode-slab.js';
import type { FrameBufferPool } from './frame-buffer-pool.js';

/**
 * The I/O layer an OutboundBuffer works for. The buffer never writes: it
 * signals, and the I/O layer takes its output (`takeBatch`) and writes it.
 */
export interface OutboundTransport {
  /** The buffer went from empty to non-empty: take its output soon (once per turn). */
  scheduleFlush(): void;
  /**
   * Whether a batch should leave every EARLY_FLUSH_FRAMES frames rather than
   * once per turn: when the process serves one connection at a time, so the
   * peer can start on the first frames (see flush-scheduler.ts).
   */
  flushEarly(): boolean;
  /** The slab small frames are encoded into (the I/O layer's, shared by its connections). */
  readonly slab: EncodeSlab;
  /** Reused memory for frames too large for the slab (the I/O layer's, shared by its connections). */
  readonly frameBuffers: FrameBufferPool;
  /** Enough is buffered to leave now: take `buffer`'s output at once. */
  outputDue(buffer: OutboundBuffer): void;
}

/** Frames ready to write, in order; call `written` once the kernel has all of them (or the write failed). */
export interface OutboundBatch {
  chunks: Buffer[];
  written: () => void;
}

/** Payloads up to this size are copied into the frame, so the caller may reuse its buffer at once. */
export const COPY_THRESHOLD = 16 * 1024;
/** Frames per write when flushing early; 2 and 8 gave less in bench/e2e.ts's one-connection cells. */
export const EARLY_FLUSH_FRAMES = 4;
/**
 * A batch holding this many payload bytes leaves at once: its write is
 * amortized already, and holding it back only delays the peer and builds
 * bursts (several MiB) that the kernel's send buffer cannot take whole.
 */
export const FLUSH_AT_BYTES = 64 * 1024;

/**
 * Encodes outgoing frames and batches them: every frame produced in one turn
 * of the event loop leaves in one write (or every few frames, when the
 * transport asks for that). Small frames are packed contiguously
 * (one buffer for many messages); large unmasked payloads go out as views.
 * It also keeps Godot's accounting: payload bytes and messages accepted but
 * not yet handed to the kernel.
 */
export class OutboundBuffer {
  private readonly transport: OutboundTransport;
  private readonly masked: boolean;
  /** What the next batch will hand over; null while there is none, so an idle connection holds no array. */
  private chunks: Buffer[] | null = null;
  /** Chunks of the next batch that are the frame pool's, to give back once written. */
  private pooledChunks: Buffer[] | null = null;
  /**
   * The region the last chunk will cover, as memory and absolute byte
   * offsets, so bytes added right after it (the next frame in the encode
   * slab, the next prepared message of an arena) extend it instead of making
   * another chunk. Every region added is never written to again, so joining
   * adjacent ones is always the same bytes in the same order.
   */
  private openMemory: ArrayBufferLike | null = null;
  private openStart = 0;
  private openEnd = 0;
  private pendingBytes = 0;
  private pendingMessages = 0;
  private inFlightBytes = 0;
  private inFlightMessages = 0;
  /** Bumped by discard(), so completions of writes from before it change nothing. */
  private generation = 0;
  /** Messages accepted but not yet framed (being compressed). */
  private heldBytes = 0;
  private heldMessages = 0;
  /** Frames added since the last flush, for early flushing. */
  private framesSinceFlush = 0;
  /** Callbacks waiting for bufferedAmount to come down to a level; null while nobody waits. */
  private drainWaiters: Array<{ level: number; callback: () => void }> | null = null;

  constructor(transport: OutboundTransport, masked: boolean) {
    this.transport = transport;
    this.masked = masked;
  }

  /** Payload bytes accepted and not yet in the kernel (Godot's outbound buffered amount). */
  get bufferedAmount(): number {
    return this.pendingBytes + this.inFlightBytes + this.heldBytes;
  }

  get queuedMessages(): number {
    return this.pendingMessages + this.inFlightMessages + this.heldMessages;
  }

  /** Counts a message accepted for sending whose frame comes later (it is being compressed). */
  hold(bytes: number): void {
    this.heldBytes += bytes;
    this.heldMessages++;
  }

  /** Ends a `hold`, just before the message's frame is added (or when it is dropped). */
  release(bytes: number): void {
    this.heldBytes -= bytes;
    this.heldMessages--;
  }

  /**
   * Calls `callback` once `bufferedAmount` is at most `level` (at once if it
   * is already), or when the buffer is discarded: then nothing is waiting.
   */
  whenBufferedAtMost(level: number, callback: () => void): void {
    if (this.bufferedAmount <= level) callback();
    else (this.drainWaiters ??= []).push({ level, callback });
  }

  get isEmpty(): boolean {
    return this.chunks === null && this.openMemory === null;
  }

  addFrame(fin: boolean, rsv: number, opcode: number, payload: Uint8Array, isMessage: boolean): void {
    if (this.isEmpty) this.transport.scheduleFlush();
    const length = payload.length;
    const frameLength = frameHeaderLength(length, this.masked) + length;
    const masked = this.masked;
    if (masked || length <= COPY_THRESHOLD) {
      let target: Buffer;
      let offset = 0;
      if (frameLength <= MAX_SLAB_FRAME) {
        offset = this.reserve(frameLength);
        target = this.transport.slab.buffer;
      } else {
        target = this.ownBuffer(frameLength);
      }
      const payloadStart = writeFrameHeader(target, offset, fin, rsv, opcode, length, masked);
      // Masking copies as it goes: one pass over the payload, not a copy and then an XOR.
      if (masked) maskInto(payload, target, payloadStart, target, payloadStart - 4);
      else target.set(payload, payloadStart);
    } else {
      const headerLength = frameLength - length;
      const offset = this.reserve(headerLength);
      writeFrameHeader(this.transport.slab.buffer, offset, fin, rsv, opcode, length, false);
      this.closeOpenRegion();
      (this.chunks ??= []).push(payload instanceof Buffer ? (payload as Buffer) : Buffer.from(payload.buffer, payload.byteOffset, length));
    }
    this.pendingBytes += length;
    if (isMessage) this.pendingMessages++;
    if (this.pendingBytes >= FLUSH_AT_BYTES || (++this.framesSinceFlush >= EARLY_FLUSH_FRAMES && this.transport.flushEarly())) this.flush();
  }

  /**
   * Adds frames encoded elsewhere (unmasked, shared with other receivers: see
   * PreparedMessages) as a view of the shared bytes, which are never written
   * again. Copying them into the slab instead measured 2.5 times the CPU per
   * delivery in bench/broadcast.bench.ts (the copy, and slabs for the
   * garbage collector); frames that lie right after the previous ones (a
   * PreparedArena's) join its region, so a burst still leaves as one chunk.
   */
  addEncoded(wire: Buffer, payloadBytes: number, messages: number): void {
    if (this.isEmpty) this.transport.scheduleFlush();
    this.extendOpen(wire.buffer, wire.byteOffset, wire.byteOffset + wire.length);
    this.pendingBytes += payloadBytes;
    this.pendingMessages += messages;
    this.framesSinceFlush += messages;
    if (this.pendingBytes >= FLUSH_AT_BYTES || (this.framesSinceFlush >= EARLY_FLUSH_FRAMES && this.transport.flushEarly())) this.flush();
  }

  /** Asks the I/O layer to take the output now (it calls `takeBatch`). */
  flush(): void {
    this.transport.outputDue(this);
  }

  /** Everything buffered, as one batch for the I/O layer to write; null when nothing waits. */
  takeBatch(): OutboundBatch | null {
    this.framesSinceFlush = 0;
    this.closeOpenRegion();
    const chunks = this.chunks;
    if (chunks === null) return null;
    this.chunks = null;
    const pooled = this.pooledChunks;
    this.pooledChunks = null;
    const bytes = this.pendingBytes;
    const messages = this.pendingMessages;
    this.pendingBytes = 0;
    this.pendingMessages = 0;
    this.inFlightBytes += bytes;
    this.inFlightMessages += messages;
    const generation = this.generation;
    const written = (): void => {
      // The write is over even when the buffer was discarded since: the memory is free again either way.
      if (pooled !== null) for (const chunk of pooled) this.transport.frameBuffers.giveBack(chunk);
      if (generation !== this.generation) return;
      this.inFlightBytes -= bytes;
      this.inFlightMessages -= messages;
      if (this.drainWaiters !== null) this.wakeDrainWaiters(false);
    };
    return { chunks, written };
  }

  private wakeDrainWaiters(all: boolean): void {
    const waiters = this.drainWaiters!;
    const buffered = this.bufferedAmount;
    const due = all ? waiters : waiters.filter((waiter) => waiter.level >= buffered);
    if (due.length === 0) return;
    const rest = all ? [] : waiters.filter((waiter) => waiter.level < buffered);
    this.drainWaiters = rest.length === 0 ? null : rest;
    for (const waiter of due) waiter.callback();
  }

  /** Forgets everything not yet handed over (the connection is gone). */
  discard(): void {
    this.generation++;
    this.chunks = null;
    this.pooledChunks = null;
    this.openMemory = null;
    this.pendingBytes = 0;
    this.pendingMessages = 0;
    this.inFlightBytes = 0;
    this.inFlightMessages = 0;
    this.heldBytes = 0;
    this.heldMessages = 0;
    if (this.drainWaiters !== null) this.wakeDrainWaiters(true);
  }

  /** Reserves `length` bytes of the slab, extending the open region when adjacent; returns their offset. */
  private reserve(length: number): number {
    const slab = this.transport.slab;
    const offset = slab.reserve(length);
    this.extendOpen(slab.memory, offset, offset + length);
    return offset;
  }

  private extendOpen(memory: ArrayBufferLike, start: number, end: number): void {
    if (this.openMemory === memory && this.openEnd === start) {
      this.openEnd = end;
      return;
    }
    this.closeOpenRegion();
    this.openMemory = memory;
    this.openStart = start;
    this.openEnd = end;
  }

  private ownBuffer(length: number): Buffer {
    this.closeOpenRegion();
    const buffer = this.transport.frameBuffers.take(length);
    (this.chunks ??= []).push(buffer);
    (this.pooledChunks ??= []).push(buffer);
    return buffer;
  }

  private closeOpenRegion(): void {
    const memory = this.openMemory;
    if (memory === null) return;
    (this.chunks ??= []).push(Buffer.from(memory, this.openStart, this.openEnd - this.openStart));
    this.openMemory = null;
  }
}
