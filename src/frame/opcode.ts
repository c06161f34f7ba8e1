/** Frame opcodes of RFC 6455 section 5.2. */
export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

export type Opcode = (typeof Opcode)[keyof typeof Opcode];

export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** True for the six opcodes RFC 6455 defines; the rest are reserved. */
export function isKnownOpcode(opcode: number): boolean {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xa);
}

/** RSV bits as they sit in the first header byte, so extensions can be described by a mask. */
export const Rsv = {
  RSV1: 0x40,
  RSV2: 0x20,
  RSV3: 0x10,
} as const;
