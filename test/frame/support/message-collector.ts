import { FrameDecoder, MessageAssembler, ProtocolError } from '../../../src/frame/index.js';
import type { MessageSink } from '../../../src/frame/index.js';

export type ReceivedEvent =
  | { kind: 'message'; opcode: number; data: Buffer; compressed: boolean }
  | { kind: 'control'; opcode: number; payload: Buffer };

export class MessageCollector implements MessageSink {
  readonly events: ReceivedEvent[] = [];

  onMessage(opcode: number, data: Buffer, compressed: boolean): void {
    this.events.push({ kind: 'message', opcode, data, compressed });
  }

  onControl(opcode: number, payload: Buffer): void {
    this.events.push({ kind: 'control', opcode, payload });
  }
}

export interface ReceiveOptions {
  /** Server side by default: frames must be masked. */
  expectMasked?: boolean;
  maxMessageSize?: number;
  compression?: boolean;
  allowedRsv?: number;
}

export interface ReceiveResult {
  events: ReceivedEvent[];
  /** The ProtocolError that stopped decoding, if any. */
  error: ProtocolError | null;
  /** Index of the chunk whose push threw, or -1. */
  failedChunk: number;
  /** How many events had been delivered before each push (index i: before chunk i). */
  eventsBeforeChunk: number[];
}

/** Runs chunks through a FrameDecoder feeding a MessageAssembler, as a connection would. */
export function receive(chunks: Buffer[], options: ReceiveOptions = {}): ReceiveResult {
  const collector = new MessageCollector();
  const assembler = new MessageAssembler(collector, {
    maxMessageSize: options.maxMessageSize ?? 64 * 1024 * 1024,
    compression: options.compression ?? false,
  });
  const decoder = new FrameDecoder(assembler, {
    expectMasked: options.expectMasked ?? true,
    allowedRsv: options.allowedRsv ?? 0,
  });
  const eventsBeforeChunk: number[] = [];
  for (let i = 0; i < chunks.length; i++) {
    eventsBeforeChunk.push(collector.events.length);
    try {
      decoder.push(chunks[i]!);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return { events: collector.events, error, failedChunk: i, eventsBeforeChunk };
    }
  }
  return { events: collector.events, error: null, failedChunk: -1, eventsBeforeChunk };
}
