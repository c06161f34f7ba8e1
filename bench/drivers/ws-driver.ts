import WebSocket from 'ws';
import { benchmarkPayload } from '../support/raw-websocket.js';
import { driverOf, EchoTracker, openInBatches, type OpenLoadDriver } from './load-driver.js';

/** The client-side baseline: ws's client (bufferutil installed), as an application would use it. */
export const openWsDriver: OpenLoadDriver = async (spec, recorder, fail) => {
  const payload = benchmarkPayload(spec.size);
  let stopped = false;

  const openOne = (): Promise<() => void> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${spec.port}/`, { perMessageDeflate: false, maxPayload: 0 });
      const echoes = new EchoTracker(spec, payload, recorder, fail);
      socket.once('error', reject);
      socket.once('open', () => {
        socket.off('error', reject);
        socket.on('error', (error) => stopped || fail(error));
        socket.on('close', () => stopped || fail(new Error('The server closed a connection')));
        sockets.push(socket);
        resolve(() => {
          echoes.started();
          for (let i = 0; i < spec.inFlight; i++) socket.send(payload, { binary: true });
        });
      });
      socket.on('message', (data: Buffer) => {
        echoes.echoed(data);
        if (!stopped) socket.send(payload, { binary: true });
      });
    });

  const sockets: WebSocket[] = [];
  const starters = await openInBatches(spec.connections, openOne);
  return driverOf(starters, () => {
    stopped = true;
    for (const socket of sockets) socket.terminate();
  });
};
