import { GodotError } from '../godot-error.js';
import { dropStream } from './byte-stream.js';
import { compactHeaders, flatCopy } from './compact-headers.js';
import { Connection } from './connection.js';
import type { HandshakeOutcome } from './handshake-runner.js';
import { OutboundBuffer } from './outbound-buffer.js';
import { ReadyState } from './ready-state.js';
import type { SocketBinding } from './socket-binding.js';

/**
 * Orchestrates one connection attempt of a WebSocketPeer: waits for the
 * opening handshake (handshake-runner.ts), then either reports the failure
 * or builds the protocol core and its OutboundBuffer, binds them to the
 * socket and announces the connection. An attempt given up meanwhile
 * (`close()` moved its binding out of CONNECTING) drops its socket.
 */
export async function completeHandshake(binding: SocketBinding, handshake: Promise<HandshakeOutcome>): Promise<GodotError> {
  const outcome = await handshake;
  const peer = binding.peer;
  if (binding.state !== ReadyState.CONNECTING) {
    if (outcome.socket) dropStream(outcome.socket);
    peer.lastError = { code: GodotError.ERR_CONNECTION_ERROR, message: 'The connection was closed during the handshake' };
    return GodotError.ERR_CONNECTION_ERROR;
  }
  if (!outcome.ok) {
    binding.state = ReadyState.CLOSED;
    peer.lastError = { code: outcome.error, message: outcome.reason };
    peer.observer?.peerFailed(peer, outcome.reason);
    peer.emit('connectionError', outcome.reason);
    return outcome.error;
  }
  const { socket, protocol, deflate, rest } = outcome;
  const options = binding.options;
  binding.selectedProtocol = protocol;
  binding.requestedUrl = flatCopy(outcome.requestedUrl);
  binding.requestHeaders = compactHeaders(outcome.headers);
  binding.negotiatedExtensions = deflate?.header ?? '';
  binding.admission = outcome.admission;
  const outbound = new OutboundBuffer(binding, !binding.isServerSide);
  const connection = new Connection(binding.isServerSide, outbound, binding, options.inboundBufferSize, deflate);
  connection.outboundLimit = options.outboundBufferSize;
  binding.attach(socket, connection, outbound);
  peer.observer?.peerEstablished(peer, protocol);
  peer.emit('connectionEstablished', protocol);
  if (rest.length > 0) binding.receive(rest);
  binding.startReading();
  return GodotError.OK;
}
