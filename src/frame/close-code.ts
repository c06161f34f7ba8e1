/** Close status codes of RFC 6455 section 7.4 and the IANA registry. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  /** Reserved: means "no status code was present"; never sent on the wire. */
  NO_STATUS: 1005,
  /** Reserved: means "the connection dropped without a close frame"; never sent on the wire. */
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  MANDATORY_EXTENSION: 1010,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
  TRY_AGAIN_LATER: 1013,
  BAD_GATEWAY: 1014,
  /** Reserved: TLS handshake failure; never sent on the wire. */
  TLS_HANDSHAKE: 1015,
} as const;

/**
 * Whether a code may appear in a close frame: 1000-1003, 1007-1014 and the
 * application/library range 3000-4999. 1004-1006 and 1015 are reserved for
 * local use, and 1016-2999 are unassigned.
 */
export function isValidWireCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 3000 && code <= 4999) return true;
  if (code >= 1000 && code <= 1003) return true;
  return code >= 1007 && code <= 1014;
}
