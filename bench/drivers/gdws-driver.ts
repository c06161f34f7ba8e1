import { GodotError, WebSocketPeer, WriteMode } from '../../src/index.js';
import { benchmarkPayload } from '../support/raw-websocket.js';
import { driverOf, EchoTracker, openInBatches, type OpenLoadDriver } from './load-driver.js';

const LARGE_BUFFER = 256 * 1024 * 1024;

/** The client-side subject: gdws's WebSocketPeer as an application would use it. */
export const openGdwsDriver: OpenLoadDriver = async (spec, recorder, fail) => {
  const payload = benchmarkPayload(spec.size);
  let stopped = false;
  const send = (peer: WebSocketPeer): void => {
    const result = peer.send(payload, WriteMode.BINARY);
    if (result !== GodotError.OK) fail(new Error(`gdws send failed: ${peer.lastError?.message ?? result}`));
  };

  const openOne = async (): Promise<() => void> => {
    const peer = new WebSocketPeer();
    peer.inboundBufferSize = LARGE_BUFFER;
    peer.outboundBufferSize = LARGE_BUFFER;
    peer.maxQueuedPackets = 1 << 20;
    const result = await peer.connectToUrl(`ws://127.0.0.1:${spec.port}/`);
    if (result !== GodotError.OK) throw new Error(`gdws connect failed: ${peer.lastError?.message ?? result}`);
    const echoes = new EchoTracker(spec, payload, recorder, fail);
    peer.on('connectionClosed', () => stopped || fail(new Error('The server closed a connection')));
    peer.on('dataReceived', () => {
      while (peer.getAvailablePacketCount() > 0) {
        echoes.echoed(peer.getPacket());
        if (!stopped) send(peer);
      }
    });
    peersToClose.push(peer);
    return () => {
      echoes.started();
      for (let i = 0; i < spec.inFlight; i++) send(peer);
    };
  };

  const peersToClose: WebSocketPeer[] = [];
  const starters = await openInBatches(spec.connections, openOne);
  return driverOf(starters, () => {
    stopped = true;
    for (const peer of peersToClose) peer.close(-1);
  });
};
