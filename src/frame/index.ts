export { Opcode, Rsv, isControlOpcode, isKnownOpcode } from './opcode.js';
export { CloseCode, isValidWireCloseCode } from './close-code.js';
export { ProtocolError } from './protocol-error.js';
export { applyMask, maskInto } from './mask.js';
export { READ_REGION_SIZE, simdReadRegion } from './mask-simd.js';
export { writeMaskKey } from './mask-key.js';
export { isValidUtf8, Utf8Validator } from './utf8.js';
export { MAX_CLOSE_REASON_BYTES, encodeClosePayload, decodeClosePayload, type ClosePayload } from './close-payload.js';
export {
  MAX_FRAME_HEADER_LENGTH,
  MAX_CONTROL_PAYLOAD,
  frameHeaderLength,
  writeFrameHeader,
  type FrameHeaderFields,
} from './header.js';
export { encodeFrame, type EncodeFrameOptions } from './encode.js';
export { FrameDecoder, type FrameSink, type FrameDecoderOptions } from './decoder.js';
export { MessageBuffer } from './message-buffer.js';
export { InputCopies } from './input-copies.js';
export { MessageAssembler, FRAME_COST_BYTES, type MessageSink, type MessageAssemblerOptions } from './assembler.js';
