/**
 * A violation of RFC 6455 by the remote peer. `closeCode` is the status the
 * connection must be closed with (1002, 1007, 1009, ...).
 */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
